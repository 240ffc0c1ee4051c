"""Notifier: tells RTC coordinators, schools and providers about suggestions and decisions."""
