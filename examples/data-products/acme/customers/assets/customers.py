"""acme/customers: golden customer record from the shop database and Salesforce.

Dagster assets of the `acme-customers` code location. Shop accounts are read through the
StarRocks JDBC catalog, Salesforce accounts and contacts through the Bulk API; both are matched on
the normalised e-mail address and written to iceberg_acme.customer.customers.
"""

from __future__ import annotations

import pandas as pd
from dagster import AssetExecutionContext, Definitions, EnvVar, ScheduleDefinition, asset, define_asset_job
from simple_salesforce import Salesforce

from akili_dagster import IcebergWriter, StarRocksResource  # platform helpers shipped in the base image

SF_CONTACT_SOQL = """
SELECT Id, AccountId, Account.Name, Account.BillingStreet, Account.BillingPostalCode,
       Account.BillingCity, Account.BillingCountryCode, Email, FirstName, LastName, Phone,
       HasOptedOutOfEmail, CreatedDate, LastModifiedDate
FROM Contact
WHERE Email != null AND IsDeleted = false
"""


def normalise_email(email: pd.Series) -> pd.Series:
    return email.str.strip().str.lower()


@asset(key_prefix=["customer"], group_name="acme_customers", compute_kind="python")
def customers(context: AssetExecutionContext, starrocks: StarRocksResource, iceberg: IcebergWriter) -> None:
    shop = starrocks.query_df(
        """
        SELECT c.uuid AS customer_id, c.email, c.firstname AS first_name, c.lastname AS last_name,
               a.telephone AS phone, a.street, a.postcode, a.city, a.country_id AS country,
               c.dob AS date_of_birth, c.newsletter_confirmed AS marketing_opt_in,
               c.loyalty_tier, c.created_at, c.updated_at
        FROM jdbc_acme_shop.public.customer_entity c
        LEFT JOIN jdbc_acme_shop.public.customer_address_entity a ON a.entity_id = c.default_billing
        WHERE c.is_deleted = FALSE
        """
    )
    shop["email"] = normalise_email(shop["email"])

    sf = Salesforce(
        instance_url="https://acme.my.salesforce.com",
        session_id=EnvVar("ACME_SALESFORCE_TOKEN").get_value(),
    )
    contacts = pd.json_normalize(sf.bulk2.Contact.query(SF_CONTACT_SOQL)).rename(
        columns={
            "AccountId": "salesforce_account_id",
            "Email": "email",
            "FirstName": "first_name",
            "LastName": "last_name",
            "Phone": "phone",
            "Account.BillingStreet": "street",
            "Account.BillingPostalCode": "postcode",
            "Account.BillingCity": "city",
            "Account.BillingCountryCode": "country",
            "CreatedDate": "created_at",
            "LastModifiedDate": "updated_at",
        }
    )
    contacts["email"] = normalise_email(contacts["email"])
    contacts["marketing_opt_in"] = ~contacts["HasOptedOutOfEmail"].astype(bool)

    merged = shop.merge(contacts, on="email", how="outer", suffixes=("", "_sf"))
    for col in ["first_name", "last_name", "phone", "street", "postcode", "city", "country"]:
        merged[col] = merged[col].fillna(merged[f"{col}_sf"])
    merged["customer_type"] = merged["salesforce_account_id"].notna().map({True: "b2b", False: "b2c"})
    merged["marketing_opt_in"] = merged["marketing_opt_in"].fillna(merged["marketing_opt_in_sf"]).fillna(False)
    merged["created_at"] = pd.to_datetime(merged[["created_at", "created_at_sf"]].min(axis=1), utc=True)
    merged["updated_at"] = pd.to_datetime(merged[["updated_at", "updated_at_sf"]].max(axis=1), utc=True)
    # B2B contacts without a shop account get a deterministic id derived from the Salesforce id.
    missing = merged["customer_id"].isna()
    merged.loc[missing, "customer_id"] = merged.loc[missing, "salesforce_account_id"].map(
        lambda sf_id: f"sf-{sf_id}"
    )
    merged["billing_address"] = merged[["street", "postcode", "city", "country"]].to_dict("records")
    merged["loyalty_tier"] = merged["loyalty_tier"].fillna("none")

    out = merged[
        [
            "customer_id", "salesforce_account_id", "customer_type", "email", "first_name",
            "last_name", "phone", "billing_address", "date_of_birth", "country",
            "marketing_opt_in", "loyalty_tier", "created_at", "updated_at",
        ]
    ].drop_duplicates(subset=["customer_id"], keep="last")

    iceberg.overwrite("iceberg_acme.customer.customers", out)
    context.add_output_metadata({"rows": len(out), "b2b": int((out["customer_type"] == "b2b").sum())})


customers_daily = define_asset_job("customers_daily", selection=[customers])

defs = Definitions(
    assets=[customers],
    jobs=[customers_daily],
    schedules=[ScheduleDefinition(job=customers_daily, cron_schedule="30 2 * * *", execution_timezone="Europe/Berlin")],
    resources={"starrocks": StarRocksResource.from_env(), "iceberg": IcebergWriter.from_env()},
)
