/** JSON and YAML reading with field-by-field validation, and the shared mappers. */
package kiban.core.json;
