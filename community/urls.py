from django.urls import path  # noqa: F401 (the parts of community life add their pages)

app_name = "community"

urlpatterns = []
