/** File helpers: atomic replacement with fsync, so a crash leaves either the old or the new file. */
package kiban.core.io;
