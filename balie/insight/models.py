"""Rollups: monthly counts per location and code combination, kept current on every write (ADR 0010).

Two small tables instead of one wide cube: a cube with every filter dimension has almost as many
rows as the registrations themselves (each question is a near-unique combination), so it would not
be faster. Instead `Cell` holds, per month and location, one row per *(filter code, shown code)*
pair: the counts of dimension `b` among the questions that have code `a` in dimension `a`. A
dashboard with no filter or one filter reads only the rows of one cube per chart.
"""

from __future__ import annotations

from django.db import models


class Cell(models.Model):
    cube = models.CharField(
        "kubus", max_length=3,
        help_text="Welke dimensies: één letter (bijvoorbeeld I = instantie) of filter:getoond (I:O = onderwerpen per instantie).",
    )
    a = models.CharField("code a", max_length=40, help_text="De filtercode (bij een paar); leeg bij één dimensie.")
    month = models.DateField("maand", help_text="Eerste dag van de maand.")
    location = models.ForeignKey(
        "network.Location", on_delete=models.CASCADE, related_name="+", verbose_name="locatie", db_index=False, db_constraint=False,
        help_text="De locatie waar de vragen gesteld werden.",
    )
    b = models.CharField("code b", max_length=40, blank=True, default="", help_text="De getoonde code.")
    n = models.IntegerField("vragen", default=0, help_text="Aantal vragen in deze cel.")
    minutes = models.BigIntegerField("minuten", default=0, help_text="Som van de geregistreerde duur in minuten.")
    timed = models.IntegerField("met duur", default=0, help_text="Aantal vragen waarvan de duur is geregistreerd.")
    tallied = models.IntegerField("geturfd", default=0, help_text="Aantal vragen dat nog als turf staat (niet aangevuld).")
    k = models.BigIntegerField("sleutelsom", default=0, help_text="Som van de recordsleutels van deze vragen (de celsleutel, ADR 0015).")

    class Meta:
        verbose_name = "rollupcel"
        verbose_name_plural = "rollupcellen"
        # One index serves both the upsert (unique key) and every dashboard query (cube, filter code, months).
        # On PostgreSQL migration 0002 adds the measures to this index (INCLUDE), so dashboards read the index only.
        constraints = [models.UniqueConstraint(fields=["cube", "a", "month", "location", "b"], name="insight_cell_key")]


class HourCell(models.Model):
    month = models.DateField("maand", help_text="Eerste dag van de maand.")
    location = models.ForeignKey(
        "network.Location", on_delete=models.CASCADE, related_name="+", verbose_name="locatie", db_index=False, db_constraint=False,
        help_text="De locatie waar de vragen gesteld werden.",
    )
    weekday = models.PositiveSmallIntegerField("weekdag", help_text="0 maandag tot 6 zondag (lokale tijd).")
    hour = models.PositiveSmallIntegerField("uur", help_text="Uur van de dag (lokale tijd), 0 tot 23.")
    n = models.IntegerField("vragen", default=0, help_text="Aantal vragen in dit uur.")
    k = models.BigIntegerField("sleutelsom", default=0, help_text="Som van de recordsleutels van deze vragen (de celsleutel, ADR 0015).")

    class Meta:
        verbose_name = "rollup per uur"
        verbose_name_plural = "rollups per uur"
        constraints = [models.UniqueConstraint(fields=["month", "location", "weekday", "hour"], name="insight_hour_key")]


class DeliveredPeriod(models.Model):
    """One period of figures that another Balie installation (a federation node) delivered to this one (the hub).

    Only counts cross: per municipality and national code, already suppressed by the node as the hub would show them
    (docs/federatie.md). Sending a period again replaces it; a node can withdraw it.
    """

    source = models.CharField("knooppunt", max_length=40, help_text="Code van de installatie die de cijfers leverde.")
    period = models.CharField("periode", max_length=7, help_text="Jaar (2026), kwartaal (2026-K3) of maand (2026-07).")
    codelist_version = models.PositiveIntegerField("codelijstversie", help_text="De landelijke codelijstversie van de cijfers.")
    rows = models.PositiveIntegerField("rijen", help_text="Aantal geleverde cijfers in deze periode.")
    transaction_id = models.CharField(
        "transactie-id", max_length=36, help_text="Fsc-Transaction-Id (UUIDv7) van de aanroep die deze levering bracht.",
    )
    received_at = models.DateTimeField("ontvangen op", help_text="Moment waarop deze versie van de levering binnenkwam.")

    class Meta:
        verbose_name = "geleverde periode"
        verbose_name_plural = "geleverde perioden"
        constraints = [models.UniqueConstraint(fields=["source", "period"], name="insight_delivered_period_key")]


class DeliveredFigure(models.Model):
    """One published count of a node: period x municipality x national dimension x code. None means "<5"."""

    delivery = models.ForeignKey(
        DeliveredPeriod, on_delete=models.CASCADE, related_name="figures", verbose_name="levering",
        help_text="De levering waar dit cijfer bij hoort.",
    )
    gemeente = models.CharField("gemeentecode", max_length=6, help_text="CBS-code van de gemeente (GMxxxx).")
    dimension = models.CharField(
        "dimensie", max_length=1, help_text="T = alle vragen, anders de letter van de codelijst (I = instantie, zie insight/dims.py).",
    )
    code = models.CharField("code", max_length=40, blank=True, help_text="De landelijke code; leeg = niet ingevuld.")
    n = models.IntegerField("aantal", null=True, blank=True, help_text="Het gepubliceerde aantal; leeg = minder dan 5.")

    class Meta:
        verbose_name = "geleverd cijfer"
        verbose_name_plural = "geleverde cijfers"
        constraints = [
            models.UniqueConstraint(fields=["delivery", "gemeente", "dimension", "code"], name="insight_delivered_figure_key"),
        ]
