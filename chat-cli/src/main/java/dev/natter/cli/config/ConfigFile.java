package dev.natter.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes the user config file ({@code config.json}, permissions 0600). */
public final class ConfigFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path path;

  public ConfigFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** The directory of the config file, where the outbox lives too. */
  public Path directory() {
    return path.toAbsolutePath().getParent();
  }

  /** The saved config, or an empty one when there is no file yet. */
  public CliConfig load() {
    try {
      byte[] bytes = Files.readAllBytes(path);
      return JSON.readValue(bytes, CliConfig.class);
    } catch (NoSuchFileException e) {
      return CliConfig.empty();
    } catch (JsonProcessingException e) {
      throw new ConfigFileException(
          "the config file " + path + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigFileException(
          "cannot read the config file " + path + ": " + e.getMessage(), e);
    }
  }

  public void save(CliConfig config) {
    try {
      SecureFiles.write(path, JSON.writeValueAsBytes(config));
    } catch (IOException e) {
      throw new ConfigFileException(
          "cannot write the config file " + path + ": " + e.getMessage(), e);
    }
  }
}
