"""sys.exit(3) without a traceback: the 'other exit' outcome."""
import sys

sys.exit(3)
