/**
 * The crash test of the mount policy on real loop devices: a child JVM mounts and unmounts in
 * a loop, is killed with SIGKILL at random moments, and every restart must repair the host so
 * that no acknowledged use is lost, no mount is unrecorded and no loop device leaks.
 */
package io.stowage.driver.fake.crash;
