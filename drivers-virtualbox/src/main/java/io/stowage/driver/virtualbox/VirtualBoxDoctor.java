package io.stowage.driver.virtualbox;

import static io.stowage.exception.InvalidArgumentException.quote;

import io.stowage.driver.virtualbox.VirtualBoxBackend.ControllerReport;
import io.stowage.exception.StowageException;
import io.stowage.spi.Diagnosis;
import java.util.ArrayList;
import java.util.List;

/**
 * The VirtualBox driver's self-check for {@code stowage doctor}: four steps, each depending on
 * the one before, so the first that fails ends the list. Only reads: no disk is created and no
 * machine is locked.
 */
final class VirtualBoxDoctor {
  /** The check names, in order. */
  static final String ENDPOINT = "endpoint";
  static final String LOGON = "logon";
  static final String LOCAL_MACHINE = "local machine";
  static final String CONTROLLER = "controller";

  private final VirtualBoxBackend backend;
  private final VirtualBoxSettings settings;

  /**
   * Creates the check.
   *
   * @param backend the back end to check through, not yet logged on
   * @param settings its settings, for the details
   */
  VirtualBoxDoctor(VirtualBoxBackend backend, VirtualBoxSettings settings) {
    this.backend = backend;
    this.settings = settings;
  }

  /**
   * Runs the steps until one fails.
   *
   * @return the steps run, in order
   */
  List<Diagnosis> diagnose() {
    List<Diagnosis> steps = new ArrayList<>();
    String endpoint = settings.toEndpoint().describe();
    try {
      if (!backend.answersAsVboxwebsrv()) {
        steps.add(Diagnosis.failed(ENDPOINT, endpoint + " answers SOAP but is not a VirtualBox"
            + " web service; set virtualbox.endpoint to vboxwebsrv's URL (port 18083 unless"
            + " vboxwebsrv -p says otherwise)"));
        return steps;
      }
      steps.add(Diagnosis.passed(ENDPOINT, "vboxwebsrv answers at " + endpoint));
    } catch (StowageException e) {
      steps.add(Diagnosis.failed(ENDPOINT, e.getMessage()));
      return steps;
    }
    try {
      String version = backend.version();
      steps.add(Diagnosis.passed(LOGON, "logged on as "
          + quote(settings.username().orElse("")) + "; VirtualBox " + version));
    } catch (StowageException e) {
      steps.add(Diagnosis.failed(LOGON, e.getMessage()));
      return steps;
    }
    LocalMachine machine;
    try {
      machine = backend.localMachine();
      steps.add(Diagnosis.passed(LOCAL_MACHINE, machine + (settings.localMachineNameOrId()
          .isPresent() ? ", named by virtualbox.localMachineNameOrId"
          : ", found by this host's MAC address")));
    } catch (StowageException e) {
      steps.add(Diagnosis.failed(LOCAL_MACHINE, e.getMessage()));
      return steps;
    }
    try {
      steps.add(controller(backend.describeController(machine.uuid())));
    } catch (StowageException e) {
      steps.add(Diagnosis.failed(CONTROLLER, e.getMessage()));
    }
    return steps;
  }

  private static Diagnosis controller(ControllerReport c) {
    String found = c.bus() + " controller " + quote(c.name()) + " with " + c.portCount()
        + " ports, " + c.usedPorts() + " in use";
    if (c.machineRuns() && !MachineStates.hotPlugs(c.bus())) {
      return Diagnosis.failed(CONTROLLER, found + "; the " + c.bus() + " bus cannot hot-plug a"
          + " disk while the machine runs: set virtualbox.controllerName to a SATA controller"
          + " (add one while the machine is powered off)");
    }
    if (!c.takesADisk()) {
      return Diagnosis.failed(CONTROLLER, found + "; no port is free: raise its port count while"
          + " the machine is powered off (VBoxManage storagectl <vm> --name " + c.name()
          + " --portcount 30)");
    }
    return Diagnosis.passed(CONTROLLER, found);
  }
}
