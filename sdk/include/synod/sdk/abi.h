#ifndef SYNOD_SDK_ABI_H
#define SYNOD_SDK_ABI_H
/* The subnet plugin ABI: what a Synod node and a plugin `.so` agree on, in plain C so that a
 * plugin built by another compiler or another release still loads.
 *
 * A plugin exports one function, `synod_plugin_create` (SYNOD_PLUGIN_FACTORY), which returns a
 * `synod_plugin`. The struct starts with the ABI version it was built for; the host checks it
 * before touching anything else. Every call takes a request and fills a reply, both byte spans
 * holding one FlatBuffers message of schemas/plugin.fbs (ChallengeRequest -> Challenge,
 * AnswerRequest -> Answer, ScoreRequest -> Score, AggregateRequest -> Answer). On a status
 * other than SYNOD_OK the reply holds a UTF-8 message instead (possibly empty).
 *
 * Replies belong to the plugin: the host copies what it needs, then calls `release` exactly
 * once (when it is not NULL). Calls may come from several threads at once; a plugin that
 * cannot take that serialises inside. No exception and no longjmp may cross this boundary
 * (the C++ layer, plugin.hpp, catches everything).
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SYNOD_PLUGIN_ABI_VERSION 1u
#define SYNOD_PLUGIN_FACTORY "synod_plugin_create"

typedef enum synod_status {
  SYNOD_OK = 0,
  SYNOD_BAD_REQUEST = 1, /* the request is not one this plugin accepts (names why) */
  SYNOD_FAILED = 2,      /* the plugin could not do the work (names why) */
  SYNOD_UNSUPPORTED = 3  /* an optional call this plugin does not have */
} synod_status;

typedef struct synod_reply {
  const uint8_t* data;
  size_t size;
  void (*release)(struct synod_reply* reply); /* frees data; may be NULL */
  void* context;                              /* the plugin's, for release */
} synod_reply;

typedef struct synod_plugin synod_plugin;

typedef synod_status (*synod_call_fn)(synod_plugin* self, const uint8_t* request, size_t size,
                                      synod_reply* reply);

struct synod_plugin {
  uint32_t abi_version; /* SYNOD_PLUGIN_ABI_VERSION as built; always the first field */
  uint32_t struct_size; /* sizeof(synod_plugin) as built */
  /* The Manifest message. */
  synod_status (*manifest)(synod_plugin* self, synod_reply* reply);
  synod_call_fn challenge; /* validator side: ChallengeRequest -> Challenge */
  synod_call_fn answer;    /* miner side: AnswerRequest -> Answer */
  synod_call_fn score;     /* validator side: ScoreRequest -> Score */
  synod_call_fn aggregate; /* optional (NULL or SYNOD_UNSUPPORTED): AggregateRequest -> Answer */
  void (*destroy)(synod_plugin* self);
};

/* `config`: a Config message (options such as model size), or size 0 for none. Returns NULL
 * when it cannot create the plugin, with the reason as a UTF-8 message in `error`. */
typedef synod_plugin* (*synod_plugin_factory_fn)(const uint8_t* config, size_t size,
                                                 synod_reply* error);

#ifdef __cplusplus
}
#endif

#endif /* SYNOD_SDK_ABI_H */
