class A(B):
    def f(self):
        self.x.y = 1
class B(A):
    pass
