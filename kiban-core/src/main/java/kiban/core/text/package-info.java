/** Small text helpers for messages people read. */
package kiban.core.text;
