import contextvars
import threading

_request = None
_lock = threading.Lock()


class Handler:
    def begin(self, request):
        global _request
        _request = request

    def end(self):
        global _request
        _request = None, "done"
        return _request
