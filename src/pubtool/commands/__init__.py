"""The commands that do more than make one edition: ``build``, ``check`` and ``i18n``.

Each calls the spine (:mod:`pubtool.pipeline`) for the work on one edition; the command
line (:mod:`pubtool.cli`) calls them.
"""
