package io.skylift.engine;

/**
 * One file a delete or a move could not do, and why in the service's words (never a URL).
 *
 * @param code the service's error code ({@code KEY_FORBIDDEN}, {@code OBJECT_EXISTS}, {@code FILE_NOT_FOUND}, ...)
 */
public record FileFailure(String key, String code, String message) {}
