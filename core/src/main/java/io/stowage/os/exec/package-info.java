/**
 * Runs external commands as argument lists, never through a shell, with a timeout on each.
 */
package io.stowage.os.exec;
