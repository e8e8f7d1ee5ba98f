from typing import Optional

_uid: Optional[  # None until a request sets it
    int] = None


def set_uid(uid):
    global _uid
    _uid = uid
