package org.p2pchat.server.ref;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What one start of the server has created on disk, so that a start that fails after all can
 * remove it again: a failed start leaves the disk as it found it. Only paths that did not exist
 * when they were recorded are ever deleted; a database or key from an earlier run is never
 * touched.
 *
 * <p>Not thread-safe: the starting thread owns it.
 */
final class CreatedFiles {
  private final Deque<Path> directories = new ArrayDeque<>();
  private final List<Path> watched = new ArrayList<>();

  /**
   * Creates {@code dir} and every missing parent, owner-only ({@code rwx------}) where the file
   * system has POSIX permissions, and records each directory it created.
   *
   * @throws IOException as {@link Files#createDirectory} does
   */
  void createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    FileAttribute<?>[] ownerOnly = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
        : new FileAttribute<?>[0];
    while (!missing.isEmpty()) {
      Path p = missing.pop();
      Files.createDirectory(p, ownerOnly);
      directories.push(p);
    }
  }

  /**
   * Claims each of {@code files} that does not exist now: if it exists when {@link #deleteAll}
   * runs, this start created it. Call it just before the step that may create them.
   */
  void watch(Path... files) {
    for (Path f : files) {
      if (!Files.exists(f)) {
        watched.add(f);
      }
    }
  }

  /** Records a file this start has created. */
  void add(Path file) {
    watched.add(file);
  }

  /**
   * Deletes the claimed files, then the created directories, deepest first; best effort (a
   * directory that is not empty stays). Returns what could not be deleted, for a warning.
   */
  List<Path> deleteAll() {
    List<Path> left = new ArrayList<>();
    for (Path f : watched) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        left.add(f);
      }
    }
    watched.clear();
    while (!directories.isEmpty()) {
      Path d = directories.pop();
      try {
        Files.deleteIfExists(d);
      } catch (IOException e) {
        left.add(d);
      }
    }
    return left;
  }
}
