try:
    from .entry import main
except KeyboardInterrupt:  # Ctrl+C in the first milliseconds: still a clean interruption
    import sys

    sys.stderr.write("medequip: interrupted\n")
    raise SystemExit(130) from None

raise SystemExit(main())
