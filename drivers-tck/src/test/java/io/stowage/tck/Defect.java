package io.stowage.tck;

import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Capability;
import io.stowage.model.InstanceId;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.Resizer;
import io.stowage.spi.Snapshots;
import io.stowage.spi.StorageDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One way a driver breaks the contract, and the kit tests that must fail for it. Each defect
 * wraps a driver that keeps the contract and breaks it in that one way.
 */
public enum Defect {
  /** Every detach is forced, so a mounted device is detached without force. */
  DETACH_IGNORES_FORCE("detachOfAMountedDeviceNeedsForce") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public void detach(VolumeId id, InstanceId instance, boolean force) {
          delegate.detach(id, instance, true);
        }
      };
    }
  },
  /** No detach is forced, so a forced detach of a mounted device is refused. */
  DETACH_NEVER_FORCED("detachOfAMountedDeviceNeedsForce") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public void detach(VolumeId id, InstanceId instance, boolean force) {
          delegate.detach(id, instance, false);
        }
      };
    }
  },
  /** A forced detach from another instance does nothing. */
  FORCED_DETACH_ELSEWHERE_IGNORED("forceDetach") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public void detach(VolumeId id, InstanceId instance, boolean force) {
          if (!force || instance.equals(local())) {
            delegate.detach(id, instance, force);
          }
        }
      };
    }
  },
  /** Every attach is forced, so a volume attached elsewhere is taken over without force. */
  ATTACH_IGNORES_FORCE("attachedElsewhereWithoutForceIsInUse") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
          return delegate.attach(id, instance, true);
        }
      };
    }
  },
  /** A forced attach reports the takeover and leaves the volume attached elsewhere. */
  FORCED_ATTACH_LEAVES_OTHER_ATTACHMENT("forceAttachPreempts") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
          boolean elsewhere = delegate.find(id)
              .flatMap(v -> v.attachmentElsewhere(instance)).isPresent();
          if (force && elsewhere) {
            return new Attachment(id, instance, "/dev/tck-takeover");
          }
          return delegate.attach(id, instance, force);
        }
      };
    }
  },
  /** The locator returns a path that never exists. */
  MISSING_DEVICE("attachAndDetachLocally", "attachTwiceReturnsTheExistingAttachment",
      "forceAttachPreempts", "detachOfAMountedDeviceNeedsForce", "mountAndUnmountCallBudget",
      "volumeFromSnapshotHasItsData", "copyOfAVolumeHasItsData", "growAnAttachedVolume") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public DeviceLocator deviceLocator() {
          DeviceLocator real = delegate.deviceLocator();
          return attachment -> real.locate(attachment).map(Defect::missing);
        }
      };
    }
  },
  /** The locator finds each device once; asked again, it returns a path that does not exist. */
  LOCATOR_FORGETS("attachAndDetachLocally", "attachTwiceReturnsTheExistingAttachment",
      "forceAttachPreempts", "detachOfAMountedDeviceNeedsForce", "volumeFromSnapshotHasItsData",
      "copyOfAVolumeHasItsData", "growAnAttachedVolume") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      DeviceLocator real = driver.deviceLocator();
      Set<Attachment> located = new HashSet<>();
      DeviceLocator forgetful = attachment -> {
        synchronized (located) {
          Optional<Path> device = real.locate(attachment);
          return device.isPresent() && !located.add(attachment) ? device.map(Defect::missing)
              : device;
        }
      };
      return new ForwardingDriver(driver) {
        @Override
        public DeviceLocator deviceLocator() {
          return forgetful;
        }
      };
    }
  },
  /** Creating a name that exists is a BackendException. */
  DUPLICATE_NAME_WRONG_EXCEPTION("createWithExistingNameFails") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Volume create(VolumeName name, VolumeOptions options) {
          try {
            return delegate.create(name, options);
          } catch (VolumeAlreadyExistsException e) {
            throw new BackendException("name taken", false, null, e);
          }
        }
      };
    }
  },
  /**
   * Finding an ID that does not exist is a VolumeNotFoundException instead of empty, also in
   * the tests that look a removed volume up.
   */
  FIND_MISSING_THROWS("findMissingIsEmpty", "createFindListRemove", "removeAttachedIsInUse") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Optional<Volume> find(VolumeId id) {
          return Optional.of(delegate.find(id)
              .orElseThrow(() -> new VolumeNotFoundException(id.value())));
        }
      };
    }
  },
  /** Removing, attaching or detaching a missing volume is an InvalidArgumentException. */
  MISSING_VOLUME_WRONG_EXCEPTION("missingVolumeIsNotFound") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public void remove(VolumeId id) {
          requireExists(id);
          delegate.remove(id);
        }

        @Override
        public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
          requireExists(id);
          return delegate.attach(id, instance, force);
        }

        @Override
        public void detach(VolumeId id, InstanceId instance, boolean force) {
          requireExists(id);
          delegate.detach(id, instance, force);
        }

        private void requireExists(VolumeId id) {
          if (delegate.find(id).isEmpty()) {
            throw new InvalidArgumentException("volume", id.value(), "no such volume");
          }
        }
      };
    }
  },
  /** Attaching a volume attached elsewhere without force is a BackendException. */
  IN_USE_ELSEWHERE_WRONG_EXCEPTION("attachedElsewhereWithoutForceIsInUse") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
          try {
            return delegate.attach(id, instance, force);
          } catch (VolumeInUseException e) {
            throw new BackendException("volume busy", false, null, e);
          }
        }
      };
    }
  },
  /** Removing an attached volume is an IllegalStateException. */
  REMOVE_ATTACHED_WRONG_EXCEPTION("removeAttachedIsInUse") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public void remove(VolumeId id) {
          try {
            delegate.remove(id);
          } catch (VolumeInUseException e) {
            throw new IllegalStateException("volume attached", e);
          }
        }
      };
    }
  },
  /** Attaching to the instance a volume is attached to is a VolumeInUseException. */
  SECOND_ATTACH_FAILS("attachTwiceReturnsTheExistingAttachment") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
          Optional<Volume> volume = delegate.find(id);
          if (volume.flatMap(v -> v.attachmentTo(instance)).isPresent()) {
            throw VolumeInUseException.byInstance(volume.get().name().value(),
                instance.value());
          }
          return delegate.attach(id, instance, force);
        }
      };
    }
  },
  /** Detaching a volume from an instance it is not attached to is an error. */
  DETACH_OF_UNATTACHED_FAILS("detachOfUnattachedVolumeChangesNothing") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public void detach(VolumeId id, InstanceId instance, boolean force) {
          if (delegate.find(id).filter(v -> v.attachmentTo(instance).isEmpty()).isPresent()) {
            throw new InvalidArgumentException("volume", id.value(), "is not attached to "
                + instance);
          }
          delegate.detach(id, instance, force);
        }
      };
    }
  },
  /** Detaching from one instance detaches the volume from whichever instance holds it. */
  DETACH_FROM_WRONG_INSTANCE("detachOfUnattachedVolumeChangesNothing") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public void detach(VolumeId id, InstanceId instance, boolean force) {
          List<Attachment> attachments = delegate.find(id).map(Volume::attachments)
              .orElse(List.of());
          InstanceId holder = attachments.isEmpty() ? instance
              : attachments.get(0).instanceId();
          delegate.detach(id, holder, force);
        }
      };
    }
  },
  /** A detach without force of a mounted device is a BackendException. */
  MOUNTED_DETACH_WRONG_EXCEPTION("detachOfAMountedDeviceNeedsForce") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public void detach(VolumeId id, InstanceId instance, boolean force) {
          try {
            delegate.detach(id, instance, force);
          } catch (VolumeInUseException e) {
            throw new BackendException("device busy", false, null, e);
          }
        }
      };
    }
  },
  /** An option needing a capability the driver lacks is an InvalidArgumentException. */
  UNSUPPORTED_OPTION_WRONG_EXCEPTION(true, "optionsNeedingCapabilities/CREATE_FROM_SNAPSHOT",
      "optionsNeedingCapabilities/COPY_VOLUME", "volumeFromSnapshotHasItsData",
      "copyOfAVolumeHasItsData") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Volume create(VolumeName name, VolumeOptions options) {
          try {
            return delegate.create(name, options);
          } catch (UnsupportedCapabilityException e) {
            throw new InvalidArgumentException("volume options", options.toString(),
                e.getMessage());
          }
        }
      };
    }
  },
  /** An option needing a capability the driver lacks is dropped, and the volume created. */
  UNSUPPORTED_OPTION_IGNORED(true, "optionsNeedingCapabilities/CREATE_FROM_SNAPSHOT",
      "optionsNeedingCapabilities/COPY_VOLUME", "volumeFromSnapshotHasItsData",
      "copyOfAVolumeHasItsData") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Volume create(VolumeName name, VolumeOptions o) {
          return delegate.create(name, new VolumeOptions(o.size(), o.iops(), o.volumeType(),
              o.availabilityZone(), o.encrypted(), o.encryptionKey(), o.newFsType(),
              o.overwriteFs(), Optional.empty(), Optional.empty(), Optional.empty(),
              Optional.empty(), o.extra()));
        }
      };
    }
  },
  /** IOPS is declared, and dropped. */
  IOPS_DROPPED("optionsNeedingCapabilities/IOPS") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Volume create(VolumeName name, VolumeOptions o) {
          return delegate.create(name, new VolumeOptions(o.size(), Optional.empty(),
              o.volumeType(), o.availabilityZone(), o.encrypted(), o.encryptionKey(),
              o.newFsType(), o.overwriteFs(), o.snapshotId(), o.snapshotName(),
              o.sourceVolumeId(), o.sourceVolumeName(), o.extra()));
        }
      };
    }
  },
  /** ATTACH_OTHER_INSTANCE is declared, and an attach to another instance refused. */
  OTHER_INSTANCE_REFUSED("attachToAnotherInstance", "attachedElsewhereWithoutForceIsInUse",
      "forceAttachPreempts", "forceDetach", "removeAttachedIsInUse",
      "detachOfUnattachedVolumeChangesNothing") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
          if (!instance.equals(local())) {
            throw new UnsupportedCapabilityException(name(),
                Capability.ATTACH_OTHER_INSTANCE.name(), "not implemented");
          }
          return delegate.attach(id, instance, force);
        }
      };
    }
  },
  /** The driver reports fewer capabilities than its provider declares. */
  CAPABILITIES_DIFFER("providerDeclaresTheDriversCapabilities",
      "optionsNeedingCapabilities/IOPS") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Set<Capability> capabilities() {
          Set<Capability> fewer = EnumSet.copyOf(delegate.capabilities());
          fewer.remove(Capability.IOPS);
          return fewer;
        }
      };
    }
  },
  /** A lookup by name reports volumes without their attachments. */
  LOOKUP_OMITS_ATTACHMENTS("mountAndUnmountCallBudget") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public List<Volume> findByName(VolumeName name) {
          return delegate.findByName(name).stream().map(v -> v.withAttachments(List.of()))
              .toList();
        }
      };
    }
  },
  /** The driver declares SNAPSHOTS and offers none. */
  SNAPSHOTS_HIDDEN("optionalFeaturesMatchTheCapabilities", "snapshotCreateFindListRemove",
      "missingSnapshotsAndVolumesAreNotFound", "volumeFromSnapshotHasItsData",
      "snapshotCopyToAnotherRegion", "optionsNeedingCapabilities/CREATE_FROM_SNAPSHOT") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Optional<Snapshots> snapshots() {
          return Optional.empty();
        }
      };
    }
  },
  /** A snapshot is taken without the tags asked for. */
  SNAPSHOT_TAGS_DROPPED("snapshotCreateFindListRemove") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return withSnapshots(driver, snapshots -> new ForwardingSnapshots(snapshots) {
        @Override
        public Snapshot create(VolumeId volume, SnapshotRequest request) {
          return delegate.create(volume, new SnapshotRequest(request.name(), Map.of()));
        }
      });
    }
  },
  /** Awaiting a snapshot returns it as it is, pending. */
  SNAPSHOT_AWAIT_DOES_NOT_WAIT("snapshotCreateFindListRemove", "volumeFromSnapshotHasItsData",
      "snapshotCopyToAnotherRegion", "optionsNeedingCapabilities/CREATE_FROM_SNAPSHOT") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return withSnapshots(driver, snapshots -> new ForwardingSnapshots(snapshots) {
        @Override
        public Snapshot await(SnapshotId id, Duration timeout) {
          return delegate.find(id).orElseThrow(() -> new SnapshotNotFoundException(id.value()));
        }
      });
    }
  },
  /** Removing a snapshot that does not exist succeeds. */
  SNAPSHOT_REMOVE_OF_MISSING_SUCCEEDS("missingSnapshotsAndVolumesAreNotFound") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return withSnapshots(driver, snapshots -> new ForwardingSnapshots(snapshots) {
        @Override
        public void remove(SnapshotId id) {
          if (delegate.find(id).isPresent()) {
            delegate.remove(id);
          }
        }
      });
    }
  },
  /** A snapshot of a volume that does not exist is a BackendException. */
  SNAPSHOT_OF_MISSING_VOLUME_WRONG_EXCEPTION("missingSnapshotsAndVolumesAreNotFound") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return withSnapshots(driver, snapshots -> new ForwardingSnapshots(snapshots) {
        @Override
        public Snapshot create(VolumeId volume, SnapshotRequest request) {
          try {
            return delegate.create(volume, request);
          } catch (VolumeNotFoundException e) {
            throw new BackendException("no such volume", false, null, e);
          }
        }
      });
    }
  },
  /** A volume created from a snapshot has its size and none of its data. */
  RESTORE_WITHOUT_DATA("volumeFromSnapshotHasItsData") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Volume create(VolumeName name, VolumeOptions o) {
          Optional<Snapshot> snapshot = o.snapshotId().flatMap(id -> delegate.snapshots()
              .orElseThrow().find(SnapshotId.of(id)));
          if (snapshot.isEmpty()) {
            return delegate.create(name, o);
          }
          return delegate.create(name, withoutSource(o, Optional.of(o.size()
              .orElse(snapshot.get().size()))));
        }
      };
    }
  },
  /** A volume created from a snapshot ignores a size smaller than the snapshot. */
  RESTORE_SMALLER_ACCEPTED("volumeFromSnapshotHasItsData") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Volume create(VolumeName name, VolumeOptions o) {
          try {
            return delegate.create(name, o);
          } catch (InvalidArgumentException e) {
            if (o.snapshotId().isEmpty()) {
              throw e;
            }
            return delegate.create(name, new VolumeOptions(Optional.empty(), o.iops(),
                o.volumeType(), o.availabilityZone(), o.encrypted(), o.encryptionKey(),
                o.newFsType(), o.overwriteFs(), o.snapshotId(), o.snapshotName(),
                o.sourceVolumeId(), o.sourceVolumeName(), o.extra()));
          }
        }
      };
    }
  },
  /** A copy of a volume has its size and none of its data. */
  COPY_WITHOUT_DATA("copyOfAVolumeHasItsData") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Volume create(VolumeName name, VolumeOptions o) {
          Optional<Volume> source = o.sourceVolumeId().flatMap(id -> delegate.find(
              VolumeId.of(id)));
          if (source.isEmpty()) {
            return delegate.create(name, o);
          }
          return delegate.create(name, withoutSource(o, Optional.of(o.size()
              .orElse(source.get().size()))));
        }
      };
    }
  },
  /** A snapshot copied to another region stays in the driver's own. */
  SNAPSHOT_COPY_STAYS_HOME("snapshotCopyToAnotherRegion") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return withSnapshots(driver, snapshots -> new ForwardingSnapshots(snapshots) {
        @Override
        public Snapshot copy(SnapshotId id, String region, SnapshotRequest request) {
          delegate.inRegion(region);
          return delegate.copy(id, delegate.region().orElseThrow(), request);
        }
      });
    }
  },
  /** A copy to a region the back end lacks goes to another region instead. */
  COPY_TO_MISSING_REGION_ACCEPTED("snapshotCopyToAnotherRegion") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return withSnapshots(driver, snapshots -> new ForwardingSnapshots(snapshots) {
        @Override
        public Snapshot copy(SnapshotId id, String region, SnapshotRequest request) {
          try {
            delegate.inRegion(region);
          } catch (InvalidArgumentException e) {
            return delegate.copy(id, ReferenceDriver.AWAY, request);
          }
          return delegate.copy(id, region, request);
        }
      });
    }
  },
  /** Shrinking a volume succeeds and changes nothing. */
  SHRINK_IGNORED("growADetachedVolume") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return withResizer(driver, resizer -> (id, size) -> {
        Volume volume = driver.find(id).orElseThrow(() -> new VolumeNotFoundException(
            id.value()));
        return size.compareTo(volume.size()) < 0 ? volume : resizer.grow(id, size);
      });
    }
  },
  /** Growing reports the new size and keeps the old. */
  GROW_NOT_KEPT("growADetachedVolume", "growAnAttachedVolume") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return withResizer(driver, resizer -> (id, size) -> {
        Volume v = driver.find(id).orElseThrow(() -> new VolumeNotFoundException(id.value()));
        if (size.compareTo(v.size()) < 0) {
          return resizer.grow(id, size);
        }
        return new Volume(v.id(), v.name(), size, v.volumeType(), v.iops(),
            v.availabilityZone(), v.encrypted(), v.status(), v.attachments(), v.fields());
      });
    }
  },
  /** ONLINE_RESIZE is declared, and growing an attached volume refused. */
  ONLINE_GROW_REFUSED("growAnAttachedVolume") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return withResizer(driver, resizer -> (id, size) -> {
        Volume v = driver.find(id).orElseThrow(() -> new VolumeNotFoundException(id.value()));
        if (!v.attachments().isEmpty()) {
          throw VolumeInUseException.byInstance(v.name().value(),
              v.attachments().get(0).instanceId().value());
        }
        return resizer.grow(id, size);
      });
    }
  },
  /** A driver without RESIZE offers a resizer. */
  RESIZER_UNDECLARED(true, "optionalFeaturesMatchTheCapabilities", "growADetachedVolume",
      "growAnAttachedVolume") {
    @Override
    StorageDriver inject(StorageDriver driver) {
      return new ForwardingDriver(driver) {
        @Override
        public Optional<Resizer> resizer() {
          return Optional.of((id, size) -> driver.find(id).orElseThrow());
        }
      };
    }
  };

  private final Set<String> caughtBy;
  private final boolean basic;

  Defect(String... caughtBy) {
    this(false, caughtBy);
  }

  Defect(boolean basic, String... caughtBy) {
    this.basic = basic;
    this.caughtBy = Set.of(caughtBy);
  }

  /** Whether the defect is injected into the driver without the optional features. */
  boolean onBasicDriver() {
    return basic;
  }

  /** The kit tests that fail for this defect: method names, {@code factory/name} if dynamic. */
  Set<String> caughtBy() {
    return caughtBy;
  }

  /** Wraps a driver that keeps the contract in one that breaks it this way. */
  abstract StorageDriver inject(StorageDriver driver);

  /** The driver with its snapshots wrapped. */
  private static StorageDriver withSnapshots(StorageDriver driver,
      UnaryOperator<Snapshots> wrap) {
    Snapshots wrapped = wrap.apply(driver.snapshots().orElseThrow());
    return new ForwardingDriver(driver) {
      @Override
      public Optional<Snapshots> snapshots() {
        return Optional.of(wrapped);
      }
    };
  }

  /** The driver with its resizer wrapped. */
  private static StorageDriver withResizer(StorageDriver driver, UnaryOperator<Resizer> wrap) {
    Resizer wrapped = wrap.apply(driver.resizer().orElseThrow());
    return new ForwardingDriver(driver) {
      @Override
      public Optional<Resizer> resizer() {
        return Optional.of(wrapped);
      }
    };
  }

  /** The options without their source, and with a size. */
  private static VolumeOptions withoutSource(VolumeOptions o, Optional<ByteSize> size) {
    return new VolumeOptions(size, o.iops(), o.volumeType(), o.availabilityZone(),
        o.encrypted(), o.encryptionKey(), o.newFsType(), o.overwriteFs(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), o.extra());
  }

  /** A path next to a device that does not exist. */
  private static Path missing(Path device) {
    return device.resolveSibling(device.getFileName() + "-missing");
  }
}
