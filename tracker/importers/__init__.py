"""Schedules from other tools (MS Project, ProjectLibre, Primavera, GanttProject) as plans.

A reader turns a file into a ``ForeignSchedule`` (schedule.py): mspdi.py reads MS Project
XML with the standard library, mpxj.py reads every other format through the MPXJ library
(Java, optional). toplan.py turns it into a plan file of our format, with a report of what
could not be carried over.
"""
