/**
 * The volume policy: implicit create, preemption, used counts and the mount and unmount algorithm, written once for every driver. Internal: not part of the API.
 */
package io.stowage.internal.policy;
