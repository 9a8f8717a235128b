/**
 * The volume policy: implicit create, preemption, used counts and the mount and unmount algorithm, written once for every driver.
 */
package io.stowage.policy;
