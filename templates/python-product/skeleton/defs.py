"""Dagster definitions of data product ${{ values.tenant }}/${{ values.name }}.

An asset per output port, a job that builds them all and its schedule.

Every run of the product's job carries the tags `akili/tenant` and `akili/product`: the portal
lists, launches and checks the product's runs by them, and a run without them is not the
product's. Launch the product through its job (`${{ values.name | replace('-', '_') }}_job`),
which adds them.
"""

import dagster as dg

TENANT = "${{ values.tenant }}"
PRODUCT = "${{ values.name }}"
AKILI_TAGS = {"akili/tenant": TENANT, "akili/product": PRODUCT}

# The asset keys of the manifest (spec.transformation.dagster.assetKeys): [product, port].
KEY_PREFIX = ["${{ values.name | replace('-', '_') }}"]
{% for port in values.outputPorts %}

@dg.asset(
    key_prefix=KEY_PREFIX,
    name="${{ port.name | replace('-', '_') }}",
    description=${{ (port.description or 'Output port ' + port.name) | dump }},
)
def port_${{ port.name | replace('-', '_') }}(context: dg.AssetExecutionContext) -> list[dict]:
    """The rows of output port ${{ port.name }}, with the port's columns."""
    # Replace with the port's logic: read the product's inputs and return its rows.
    context.log.info("Building output port ${{ port.name }}")
    return [
        {
{%- for column in port.columns %}
            "${{ column.name }}": None,
{%- endfor %}
        }
    ]
{% endfor %}

ASSETS = [
{%- for port in values.outputPorts %}
    port_${{ port.name | replace('-', '_') }},
{%- endfor %}
]

job = dg.define_asset_job(
    name="${{ values.name | replace('-', '_') }}_job",
    selection=dg.AssetSelection.assets(*ASSETS),
    tags=AKILI_TAGS,
)

schedule = dg.ScheduleDefinition(
    job=job,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
)

defs = dg.Definitions(assets=ASSETS, jobs=[job], schedules=[schedule])
