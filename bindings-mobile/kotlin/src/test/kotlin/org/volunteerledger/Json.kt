package org.volunteerledger

import org.json.JSONArray
import org.json.JSONObject
import java.io.File
import java.time.Instant
import java.time.OffsetDateTime

/** The shared vectors: `-Dvectors.dir` (set by the pom), else the repository's tests/vectors. */
internal val vectorsDir: File = File(System.getProperty("vectors.dir") ?: "../../tests/vectors")

internal fun loadVector(name: String): JSONObject = JSONObject(File(vectorsDir, name).readText())

internal fun JSONObject.array(key: String): List<Any?> = getJSONArray(key).let { a -> (0 until a.length()).map { a.get(it) } }

internal fun JSONObject.objects(key: String): List<JSONObject> = array(key).map { it as JSONObject }

/** A string field, or null when absent or JSON null. */
internal fun JSONObject.str(key: String): String? = if (isNull(key)) null else getString(key)

/** RFC 3339 (`2015-06-02T09:00:00+08:00`, `…Z`) to an instant. */
internal fun instant(text: String): Instant = OffsetDateTime.parse(text).toInstant()

/** A stable name (`resident_id`, `check_in`) to the Kotlin enum constant (`RESIDENT_ID`). */
internal inline fun <reified E : Enum<E>> enumOf(name: String): E = enumValueOf(name.uppercase())

/**
 * JSON-like values in one canonical form, so that a vector and a binding result compare
 * whatever their number types: objects become maps, arrays lists, JSON null null, every
 * integer (signed or unsigned) a Long, and enum constants their stable lower-case name.
 */
internal fun norm(v: Any?): Any? = when (v) {
    null -> null
    JSONObject.NULL -> null
    is JSONObject -> v.keySet().associateWith { norm(v.opt(it)) }
    is JSONArray -> (0 until v.length()).map { norm(v.opt(it)) }
    is Map<*, *> -> v.entries.associate { (k, x) -> k.toString() to norm(x) }
    is List<*> -> v.map { norm(it) }
    is UByte -> v.toLong()
    is UShort -> v.toLong()
    is UInt -> v.toLong()
    is ULong -> v.toLong()
    is Byte -> v.toLong()
    is Short -> v.toLong()
    is Int -> v.toLong()
    is java.math.BigInteger -> v.toLong()
    is Enum<*> -> v.name.lowercase()
    else -> v
}
