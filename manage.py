#!/usr/bin/env python
"""Django's manage.py, for those who expect one; `bluestone` is the same thing."""

from bluestone.cli import main

if __name__ == "__main__":
    main()
