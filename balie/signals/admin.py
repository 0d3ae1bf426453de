from django.contrib import admin

from .models import SignalRecipient, SignalRecipientUser


@admin.register(SignalRecipient)
class SignalRecipientAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "instantie_codes", "national", "organisation"]


@admin.register(SignalRecipientUser)
class SignalRecipientUserAdmin(admin.ModelAdmin):
    list_display = ["user", "recipient"]
