/** In-memory columnar tables: one typed, primitive array per column, fixed width per row. */
package kiban.data.table;
