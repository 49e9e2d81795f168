/** Typed exceptions whose messages are fit to show a user as they are. */
package kiban.core.error;
