"""Process-wide switches."""


class Settings:
    strict = False

    @classmethod
    def enable_strict(cls):
        cls.strict = True

    @classmethod
    def disable_strict(cls):
        cls.strict = False
