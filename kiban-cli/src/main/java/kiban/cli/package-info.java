/** The {@code kiban} command line: one picocli command class per verb. */
package kiban.cli;
