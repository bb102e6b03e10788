from . import navigation


def layout(request):
    if not request.user.is_authenticated:
        return {}
    return {"navigation": navigation.items(request)}
