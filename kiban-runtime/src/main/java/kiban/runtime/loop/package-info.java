/**
 * The fixed-rate control loop: a deadline pacer (park, then spin), asynchronous inference on its
 * own thread, an action-chunk queue that blends chunk boundaries (or, in real-time chunking, has the
 * policy continue the rows executing meanwhile) and drops the actions whose time
 * passed while the model ran, deadline and jitter statistics, and a warning when the rate cannot be held.
 */
package kiban.runtime.loop;
