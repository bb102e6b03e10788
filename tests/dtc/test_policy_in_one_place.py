"""The permission policy is one place: no app writes a permission rule of its own.

The source of the apps and of the core (all but dtc/permissions.py) is read as Python
and searched for the shapes a hand-written rule takes:

- a grant asked as a yes / no (`if not permissions.community_ids(user)`, `bool(...)`,
  `community_id in permissions.community_ids(user)`, or a list of communities tested
  for emptiness before a PermissionDenied) instead of holds_any, require_any, can or
  require_in_scope. Reading the ids to narrow a queryset is a selector and is fine;
- a role assignment query that decides access (`RoleAssignment.objects...
  .filter(user=..., role=...)`, or one with a role ending in `.exists()`) instead of
  is_head_of_psychotherapy, is_trainee, is_trainee_here or supervised_staff. Listing
  a team's members for a form or a reminder is fine;
- `if not ...is_head_of_psychotherapy(...)` followed by a PermissionDenied, instead of
  require_head_of_psychotherapy;
- a predicate defined outside the policy (`def may_...`, `def _is_trainee...`, ...).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["dtc", "referrals", "residents", "supervision", "community", "audit"]
POLICY = Path("dtc/permissions.py")

# (file, function): why this rule stays where it is.
EXCEPTIONS = {
    ("supervision/models.py", "is_visible_to"): (
        "A session's is_visible_to: the hook through which the policy's can() and "
        "require() narrow one record below its community (dtc.permissions._is_visible). "
        "Asking can() there would call the hook again."
    ),
}

GRANT_READERS = {"community_ids", "communities"}
POLICY_DEFINITIONS = ("may_", "_may_", "is_trainee", "_is_trainee")
POLICY_NAMES = ("require_any", "require_head_of_psychotherapy", "line_of_supervision")


def _called(node) -> str | None:
    """The name of the function a Call node calls (`permissions.can(...)` -> "can")."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _calls(node, names) -> bool:
    return any(_called(inner) in names for inner in ast.walk(node))


def _raises_permission_denied(statements) -> bool:
    return any(
        isinstance(node, ast.Raise)
        and node.exc is not None
        and "PermissionDenied" in ast.unparse(node.exc)
        for statement in statements
        for node in ast.walk(statement)
    )


def _chain(node) -> list[ast.Call]:
    """The calls of a method chain, outermost first: a.b(x).c(y) -> [c(y), b(x)]."""
    calls = []
    while True:
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return calls


def _is_role_assignment_query(node) -> bool:
    """Whether a chain of calls starts from RoleAssignment.objects."""
    while isinstance(node, (ast.Call, ast.Attribute)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id == "RoleAssignment"
        ):
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _truth_tested(node, parents) -> bool:
    """Whether the value of `node` is only used as a yes / no."""
    parent = parents.get(node)
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, (ast.If, ast.IfExp, ast.While, ast.Assert)) and parent.test is node:
        return True
    if isinstance(parent, ast.BoolOp):
        return True
    if isinstance(parent, ast.Call) and _called(parent) == "bool":
        return True
    if isinstance(parent, ast.Compare) and node in parent.comparators:
        return any(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops)
    return False


def violations(source: str) -> list[tuple[str, int, str]]:
    """(enclosing function, line, rule broken) for each hand-written rule in `source`."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def function_of(node) -> str:
        while node in parents:
            node = parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node.name
        return ""

    found = []

    def flag(node, rule):
        found.append((function_of(node), node.lineno, rule))

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = node.name
            if name.startswith(POLICY_DEFINITIONS) or any(n in name for n in POLICY_NAMES):
                flag(node, f"the predicate {name} belongs in dtc/permissions.py")
            # A list of communities read, then tested for emptiness before a refusal.
            grant_names = {
                target.id
                for statement in ast.walk(node)
                if isinstance(statement, ast.Assign) and _calls(statement.value, GRANT_READERS)
                for target in statement.targets
                if isinstance(target, ast.Name)
            }
            for statement in ast.walk(node):
                if (
                    isinstance(statement, ast.If)
                    and isinstance(statement.test, ast.UnaryOp)
                    and isinstance(statement.test.op, ast.Not)
                    and isinstance(statement.test.operand, ast.Name)
                    and statement.test.operand.id in grant_names
                    and _raises_permission_denied(statement.body)
                ):
                    flag(statement, "a grant tested for emptiness: use require_any")
        elif _called(node) in GRANT_READERS and _truth_tested(node, parents):
            flag(node, f"{_called(node)}() asked as a yes / no: use holds_any, can or require")
        elif (
            isinstance(node, ast.Call)
            and not isinstance(parents.get(node), ast.Attribute)  # the whole chain, once
            and _is_role_assignment_query(node)
        ):
            keywords = {k.arg for call in _chain(node) for k in call.keywords if k.arg}
            by_role = any(k == "role" or k.startswith("role__") for k in keywords)
            of_one_person = keywords & {"user", "user_id"}
            if by_role and (of_one_person or _called(node) == "exists"):
                flag(node, "a role query deciding access: ask the policy")
        elif (
            isinstance(node, ast.If)
            and _calls(node.test, {"is_head_of_psychotherapy"})
            and _raises_permission_denied(node.body)
        ):
            flag(node, "use require_head_of_psychotherapy")
    return found


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative == POLICY or "migrations" in relative.parts:
                continue
            yield relative


def test_no_permission_rule_is_written_outside_the_policy():
    found = [
        f"{path}:{line} in {function or 'module'}: {rule}"
        for path in _sources()
        for function, line, rule in violations((ROOT / path).read_text())
        if (path.as_posix(), function) not in EXCEPTIONS
    ]
    assert found == []


def test_each_exception_is_still_needed():
    """An exception whose code has gone, or no longer breaks a rule, is removed from the list."""
    still = {
        (path.as_posix(), function)
        for path in _sources()
        for function, _line, _rule in violations((ROOT / path).read_text())
    }
    assert set(EXCEPTIONS) <= still


# The search itself: each shape is found, and a selector is not mistaken for a rule.

HAND_WRITTEN = {
    "gate": """
def waiting_list(request):
    if not permissions.community_ids(request.user):
        raise PermissionDenied
""",
    "flag": """
def page(request):
    return {"can_submit": bool(permissions.community_ids(request.user, "submit_referral"))}
""",
    "404 or 403": """
def _require_view_audit(user, community_id):
    if community_id in permissions.community_ids(user, "view_audit"):
        return
    raise Http404
""",
    "empty list": """
def new(request):
    communities = permissions.communities(request.user, "submit_referral").select_related("x")
    if not communities:
        raise PermissionDenied
""",
    "role of one person": """
def compliance(request):
    is_head = (
        RoleAssignment.objects.active()
        .filter(user=request.user, role=Role.HEAD_OF_PSYCHOTHERAPY)
        .exists()
    )
""",
    "role exists": """
def trainee_target_set(request, person):
    if not RoleAssignment.objects.active().filter(user=person, role=Role.TRAINEE).exists():
        raise PermissionDenied
""",
    "role of one person, first": """
def _person_and_community(request, person):
    return RoleAssignment.objects.active().filter(user=person, role__in=ROLES).first()
""",
    "hop by hand": """
def criterion_edit(request):
    if not permissions.is_head_of_psychotherapy(request.user):
        raise PermissionDenied
""",
    "predicate": """
def may_countersign(user, document):
    return True
""",
    "private predicate": """
def _is_trainee_here(user, resident):
    return False
""",
}

SELECTORS = {
    "narrowing": """
def overrides_visible_to(user):
    return Override.objects.filter(community_id__in=permissions.community_ids(user, "x"))
""",
    "ids kept for the card": """
def home_card(request):
    ids = permissions.community_ids(request.user, "supervise_team")
    if not ids:
        return None
""",
    "union of scopes": """
def home(request):
    in_scope = permissions.community_ids(user) | permissions.community_ids(user, "view_audit")
""",
    "a team for a form": """
def __init__(self, community):
    clinical = RoleAssignment.objects.active().filter(community=community, role__in=ROLES)
""",
    "reminder recipients": """
def reminders(ids):
    return RoleAssignment.objects.active().filter(
        community_id__in=ids, role=Role.THERAPY_MANAGER, user__is_active=True
    )
""",
    "the policy asked": """
def view(request):
    permissions.require_any(request.user)
    if not permissions.may_countersign(request.user, document):
        raise PermissionDenied
""",
}


@pytest.mark.parametrize("source", HAND_WRITTEN.values(), ids=HAND_WRITTEN.keys())
def test_the_search_finds_a_hand_written_rule(source):
    assert violations(source)


@pytest.mark.parametrize("source", SELECTORS.values(), ids=SELECTORS.keys())
def test_the_search_lets_selectors_and_policy_calls_be(source):
    assert violations(source) == []
