/** The in-process simulator as a {@link kiban.core.machine.Machine}, and forward models the shield can use for its zones. */
package kiban.runtime.sim;
