from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef


class UnitModelBackend(ModelBackend):
    """Django's backend, loading the person's unit, department and unit policy with the person (one query), and
    whether the person has enrolled an authenticator (the sign-in rules ask it of API requests)."""

    def get_user(self, user_id):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = (
            self.get_user_model_manager().select_related("unit", "department", "unit__security_policy")
            .annotate(has_authenticator=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)))
            .filter(pk=user_id).first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def get_user_model_manager():
        from wenming.org.models import User

        return User._default_manager
