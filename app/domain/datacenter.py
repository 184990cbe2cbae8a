"""A datacenter site and the grid that powers it."""


from typing import Annotated, Literal

from app.domain.base import StrictModel
from app.domain.limits import PER_KWH, PUE
from app.domain.quantity import Q, Quantity
from app.domain.text import Description, Name


class DatacenterPreset(StrictModel):
    """Facility overhead, grid carbon and water intensity, electricity price."""

    kind: Literal["datacenter"] = "datacenter"
    name: Name
    description: Description = ""
    pue: Annotated[Quantity, Q("ratio", "Power usage effectiveness: facility energy / IT energy.", ge=1, **PUE)]
    grid_kgco2e_per_kwh: Annotated[Quantity, Q("kgCO2e/kWh", "Carbon intensity of the electricity (location-based).", ge=0, **PER_KWH)]
    wue_l_per_kwh: Annotated[Quantity, Q("L/kWh", "Site water usage effectiveness, on IT energy (cooling).", ge=0, **PER_KWH)]
    electricity_water_l_per_kwh: Annotated[Quantity, Q("L/kWh", "Water consumed generating the electricity, per kWh.", ge=0, **PER_KWH)]
    electricity_usd_per_kwh: Annotated[Quantity, Q(
        "USD/kWh",
        "Electricity price paid by the site. For reference: spend is priced at the accelerators' "
        "rental price per hour, which includes power, so this number changes no result.",
        ge=0,
        **PER_KWH,
    )]
