/**
 * The functions a guarded query may call, lower case. An allow-list: anything else (unknown
 * names, user-defined functions, `db.fn` names) is refused.
 *
 * Left out on purpose: functions that wait or burn time (`sleep`, `benchmark`), read files or
 * the network (`load_file`, `files`, `url_*`, `http_*`), take locks (`get_lock`), reveal the
 * connection, user or server (`current_user`, `user`, `connection_id`, `database`, `version`,
 * `last_query_id`, `get_query_profile`), touch the dictionary or cluster state (`dict_mapping`,
 * `inspect_*`), and all table functions but `unnest` and `generate_series`.
 */
const ALLOWED = `
count sum avg min max any_value approx_count_distinct ndv count_if group_concat array_agg
array_unique_agg percentile_approx percentile_cont percentile_disc stddev stddev_pop stddev_samp
std variance var_pop var_samp variance_pop variance_samp covar_pop covar_samp corr max_by min_by
bool_or bool_and bit_and bit_or bit_xor retention window_funnel hll_union_agg hll_cardinality
bitmap_union_count bitmap_count approx_top_k multi_distinct_count multi_distinct_sum
grouping grouping_id
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
abs ceil ceiling floor round truncate mod pmod pow power sqrt cbrt exp ln log log2 log10 sign pi e
greatest least rand random degrees radians sin cos tan asin acos atan atan2 cot sinh cosh tanh
bin hex unhex conv positive negative divide fmod square
concat concat_ws length char_length character_length lower lcase upper ucase trim ltrim rtrim
lpad rpad substr substring left right replace reverse repeat instr locate split split_part
starts_with ends_with strleft strright regexp regexp_extract regexp_extract_all regexp_replace
regexp_split md5 sha2 murmur_hash3_32 xx_hash3_64 ascii char space money_format null_or_empty
translate find_in_set field elt format_bytes initcap str_to_map substring_index
to_base64 from_base64 crc32
now current_date current_timestamp current_time curdate curtime localtime localtimestamp
utc_date utc_time utc_timestamp date date_add date_sub adddate subdate datediff date_diff days_diff
hours_diff minutes_diff seconds_diff months_diff years_diff weeks_diff quarters_diff
milliseconds_diff date_format date_trunc time_slice date_slice year quarter month day dayofmonth
dayofweek dayofweek_iso dayofyear week weekofyear week_iso yearweek hour minute second
millisecond microsecond from_unixtime from_unixtime_ms unix_timestamp to_date to_datetime
to_iso8601 str_to_date str2date timestamp timestampadd timestampdiff last_day next_day
previous_day makedate months_add months_sub days_add days_sub years_add years_sub weeks_add
weeks_sub hours_add hours_sub minutes_add minutes_sub seconds_add seconds_sub
milliseconds_add milliseconds_sub quarters_add quarters_sub timediff convert_tz to_days from_days
monthname dayname time_to_sec sec_to_time extract jodatime_format
if ifnull nullif coalesce isnull isnotnull nvl
array_length cardinality array_contains array_contains_all array_contains_any array_position
array_append array_remove array_distinct array_sort array_sortby array_reverse array_join
array_concat array_slice array_map array_filter array_sum array_avg array_min array_max
array_intersect array_difference array_cum_sum all_match any_match element_at array_generate
arrays_overlap array_flatten array_repeat array_top_n unnest generate_series
map_keys map_values map_size map_from_arrays map_filter map_apply map_concat distinct_map_keys
transform named_struct row struct map array
json_query json_exists json_length json_keys get_json_string get_json_int get_json_double
get_json_bool get_json_object json_object json_array parse_json json_string to_json json_each
get_json_bigint
hash murmur_hash3_32 uuid uuid_numeric
`;

/** @internal */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set(
  ALLOWED.split(/\s+/).filter(name => name.length > 0),
);
