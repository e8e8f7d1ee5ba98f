import contextvars
import threading

_request = contextvars.ContextVar("_request", default=None)
_lock = threading.Lock()


class Handler:
    def begin(self, request):
        global _request
        _request.set(request)

    def end(self):
        global _request
        _request.set((None, "done"))
        return _request.get()
