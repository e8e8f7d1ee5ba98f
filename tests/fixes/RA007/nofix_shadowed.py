# A parameter of the same name: that `_user` is no use of the global.
_user = None


def set_user(user):
    global _user
    _user = user


def greet(_user):
    return "hello " + _user
