"""`gongkai mailbox_reminders`: the earlier spelling of `gongkai mailbox-reminders`, kept for operators' scripts."""

from importlib import import_module

Command = import_module("gongkai.interaction.management.commands.mailbox-reminders").Command
