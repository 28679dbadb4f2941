from django.contrib.auth.backends import ModelBackend


class UnitModelBackend(ModelBackend):
    """Django's backend, loading the person's unit, department and unit policy with the person (one query)."""

    def get_user(self, user_id):
        user = (
            self.get_user_model_manager().select_related("unit", "department", "unit__security_policy")
            .filter(pk=user_id).first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def get_user_model_manager():
        from wenming.org.models import User

        return User._default_manager
