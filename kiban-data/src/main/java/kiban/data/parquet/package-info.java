/**
 * Parquet files as {@link kiban.data.table.Table}s through parquet-hadoop's column-level API, with the
 * same physical schema pyarrow writes for Hugging Face datasets: optional scalars, and vectors as
 * 3-level {@code LIST<element>} groups.
 */
package kiban.data.parquet;
