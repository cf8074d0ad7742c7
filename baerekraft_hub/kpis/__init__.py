"""U4SSC KPI values per organisation and year: entry by form, import (CSV, JSON-stat), API."""

from flask import Blueprint

bp = Blueprint("kpis", __name__)
