"""Ingestion of data product ${{ values.tenant }}/${{ values.name }}: an asset per output port.

The product is source-aligned: each asset loads its port's rows from the source system
(${{ values.sourceSystem }}, `${{ values.sourceLocation }}`) as they are, typed as the manifest
says; consumers build on them.

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

SOURCE_SYSTEM = "${{ values.sourceSystem }}"
SOURCE_LOCATION = ${{ values.sourceLocation | dump }}


def read_source(columns: list[str]) -> list[dict]:
    """Reads the source's rows with the given columns.

    Replace with the source's client (a database driver, a Kafka consumer, an S3 reader...);
    credentials come from the code location's environment, never from this repository.
    """
    return [{column: None for column in columns}]
{% for port in values.outputPorts %}

@dg.asset(
    key_prefix=KEY_PREFIX,
    name="${{ port.name | replace('-', '_') }}",
    description=${{ (port.description or 'Output port ' + port.name) | dump }},
)
def port_${{ port.name | replace('-', '_') }}(context: dg.AssetExecutionContext) -> list[dict]:
    """The rows of output port ${{ port.name }}, with the port's columns."""
    context.log.info(
        f"Loading output port ${{ port.name }} from {SOURCE_SYSTEM} {SOURCE_LOCATION}"
    )
    return read_source(
        [
{%- for column in port.columns %}
            "${{ column.name }}",
{%- endfor %}
        ]
    )
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
    cron_schedule="0 * * * *",
    execution_timezone="UTC",
)

defs = dg.Definitions(assets=ASSETS, jobs=[job], schedules=[schedule])
