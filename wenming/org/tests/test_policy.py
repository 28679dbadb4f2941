"""The one access policy: every model that is read through it declares its unit path and a view rule, and the rule
language means what the declarations say."""

import pytest
from django.apps import apps
from django.db.models import Q

from wenming.org.models import Department, User
from wenming.org.policy import (
    Grant,
    Policy,
    RestrictedQuerySet,
    acting_unit,
    allows,
    is_evaluator,
    own_department,
)
from wenming.org.roles import Role

pytestmark = pytest.mark.django_db


def restricted_models():
    return [model for model in apps.get_models()
            if isinstance(model._default_manager.get_queryset(), RestrictedQuerySet)]


def test_every_restricted_model_declares_a_view_rule_and_a_unit_path_that_exists():
    models = restricted_models()
    assert len(models) >= 30, [model.__name__ for model in models]
    for model in models:
        policy = model._default_manager.get_queryset().policy
        assert "view" in policy.actions, model.__name__
        str(model.objects.filter(**{policy.unit: 1}).query)  # a FieldError here names a wrong unit path
        if policy.recyclable:
            assert any(field.name == "deleted_at" for field in model._meta.get_fields()), model.__name__


def test_an_action_the_policy_does_not_declare_is_a_programming_error(cast):
    with pytest.raises(LookupError, match="publish"):
        Department.objects.restrict(cast["office"], "publish")


def test_acting_unit_needs_a_signed_in_active_person_of_a_unit_with_one_of_the_roles(cast):
    assert acting_unit(cast["office"], (Role.OFFICE,)) == cast.unit.pk
    assert acting_unit(cast["office"]) == cast.unit.pk
    assert acting_unit(cast["staff_a"], (Role.OFFICE,)) is None
    assert acting_unit(cast["anonymous"]) is None
    cast["office"].is_active = False
    assert acting_unit(cast["office"], (Role.OFFICE,)) is None


def test_evaluators_are_people_of_an_oversight_unit(cast):
    assert is_evaluator(cast["evaluator"])
    assert not is_evaluator(cast["office"]) and not is_evaluator(cast["anonymous"])


def test_a_grant_gives_wide_roles_the_unit_and_the_others_their_narrow_rows(cast):
    policy = Policy(unit="unit_id", actions={
        "view": Grant((Role.OFFICE, Role.STAFF), wide=(Role.OFFICE,), narrow=own_department("department_id"))})
    people = User.objects.all()
    assert set(policy.rows(people, cast["office"], "view")) == set(User.objects.filter(unit=cast.unit))
    assert set(policy.rows(people, cast["staff_a"], "view")) == set(
        User.objects.filter(unit=cast.unit, department=cast.dept_a))
    assert not policy.rows(people, cast["evaluator"], "view").exists()
    assert not policy.rows(people, cast["anonymous"], "view").exists()
    outsiders = policy.rows(people, cast["outsider"], "view")
    assert set(outsiders) == set(User.objects.filter(unit=cast.other_unit))


def test_outside_rules_reach_only_people_who_do_not_act_for_the_unit(cast):
    policy = Policy(unit="unit_id", actions={
        "view": Grant((Role.OFFICE,), outside=lambda user, rows: Q(pk=user.pk))})
    assert list(policy.rows(User.objects.all(), cast["evaluator"], "view")) == [cast["evaluator"]]
    assert not policy.rows(User.objects.all(), cast["anonymous"], "view").exists()


def test_the_door_lets_in_the_roles_of_the_grant_and_the_evaluators_of_an_outside_rule(cast):
    from wenming.assessments.models import Assessment, Score
    from wenming.funding.models import BudgetLine

    assert allows(BudgetLine, cast["leader"]) and not allows(BudgetLine, cast["leader"], "change")
    assert not allows(BudgetLine, cast["liaison_a"]) and not allows(BudgetLine, cast["anonymous"])
    assert allows(Assessment, cast["evaluator"]) and allows(Score, cast["evaluator"], "change")
    assert not allows(Assessment, cast["admin"]) and not allows(Assessment, cast["evaluator"], "change")
