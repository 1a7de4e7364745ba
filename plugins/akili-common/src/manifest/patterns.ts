// The name rules on their own, apart from the manifest schema, so code that only checks a name
// (the frontend's cards, the role parser) does not pull the whole schema into the app's main bundle.

/** Product names, tenants: a DNS label. */
export const NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** Port and quality rule names: like {@link NAME_PATTERN}, underscores allowed. */
export const PORT_NAME_PATTERN = '^[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';
