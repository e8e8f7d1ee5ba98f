from ledger.accounts import AccountBook


def test_deposits_add_up():
    book = AccountBook()
    first, second = book.open(), book.open()
    book.deposit(first, 5)
    book.deposit(second, 7)
    assert first != second
    assert book.total() == 12
