/**
 * Runs external commands as argument lists, never through a shell, with a timeout on each.
 * Internal: not part of the API.
 */
package io.stowage.internal.os.exec;
