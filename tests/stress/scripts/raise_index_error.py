"""Raises IndexError from a function of its own: the 'exception' outcome."""


def pop_from(items):
    return items.pop()  # <- raises: the innermost frame raceaudit must report


def main():
    pop_from([])


if __name__ == "__main__":
    main()
