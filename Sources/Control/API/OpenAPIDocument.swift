/// The OpenAPI 3.1 document of the REST API, served at `GET /api/v1/openapi.json`.
///
/// It is kept here, as the JSON text itself, so the one binary serves it without a resource
/// bundle. Change it together with the routes: `ControlAPITests` checks that every route is in
/// `paths` and every path is a route, and that real answers match the schemas;
/// `tests/api/test_openapi.py` validates the document against the OpenAPI 3.1 schema.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Antenne control API",
    "version": "1.0.0",
    "description": "Organisations, API tokens, channels, stream keys, events, recordings, clips and webhooks of an Antenne server.\n\nAuthentication: Authorization: Bearer <token>, with the server admin token (ANTENNE_ADMIN_TOKEN) or an organisation's API token (ant_...). An organisation's token sees only its organisation: another organisation's resources answer 404. A readOnly token gets 403 on any change.\n\nBodies are JSON (Content-Type: application/json), at most 64 KiB by default; unknown fields are refused. Ids are lowercase UUIDs; timestamps RFC 3339 in UTC with milliseconds.\n\nLists are paged: ?limit=1..200 (default 50) and ?after=<nextCursor>; they answer {\"items\": [...], \"nextCursor\": string | null}, oldest first.\n\nSecrets (API tokens, stream keys, webhook signing secrets) appear only in the answer that creates them.\n\nEvery 4xx and 5xx answer has the body {\"error\": {\"code\", \"message\", \"field\"}}; a route that does not exist answers 404, a method a route does not have answers 405 with Allow."
  },
  "servers": [{"url": "/api/v1"}],
  "security": [{"bearer": []}],
  "tags": [
    {"name": "organisations"},
    {"name": "tokens"},
    {"name": "channels"},
    {"name": "keys"},
    {"name": "events"},
    {"name": "recordings"},
    {"name": "clips"},
    {"name": "webhooks"},
    {"name": "meta"}
  ],
  "paths": {
    "/openapi.json": {
      "get": {
        "operationId": "getOpenAPIDocument",
        "summary": "This document",
        "tags": ["meta"],
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document of this API.",
            "content": {"application/json": {"schema": {"type": "object"}}}
          }
        }
      }
    },
    "/organisations": {
      "post": {
        "operationId": "createOrganisation",
        "summary": "Create an organisation",
        "tags": ["organisations"],
        "description": "Server admin token only.",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrganisationCreate"}}}
        },
        "responses": {
          "201": {
            "description": "Created.",
            "headers": {"Location": {"description": "The new resource's URL path.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Organisation"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "get": {
        "operationId": "listOrganisations",
        "summary": "List organisations",
        "tags": ["organisations"],
        "description": "Every organisation for the server admin; the caller's own otherwise.",
        "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/After"}],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrganisationPage"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/organisations/{id}": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "get": {
        "operationId": "getOrganisation",
        "summary": "Get an organisation",
        "tags": ["organisations"],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Organisation"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "patch": {
        "operationId": "updateOrganisation",
        "summary": "Rename an organisation",
        "tags": ["organisations"],
        "description": "The server admin, or an admin token of this organisation.",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrganisationUpdate"}}}
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Organisation"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "delete": {
        "operationId": "deleteOrganisation",
        "summary": "Delete an organisation",
        "tags": ["organisations"],
        "description": "Server admin token only.",
        "responses": {
          "204": {
            "description": "Deleted, with everything it owned: tokens, channels, keys, events, webhooks and deliveries."
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/organisations/{id}/tokens": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "post": {
        "operationId": "createToken",
        "summary": "Create an API token",
        "tags": ["tokens"],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenCreate"}}}
        },
        "responses": {
          "201": {
            "description": "Created. The secret is in this answer only.",
            "headers": {"Location": {"description": "The new resource's URL path.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedToken"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "get": {
        "operationId": "listTokens",
        "summary": "List an organisation's API tokens",
        "tags": ["tokens"],
        "description": "Revoked tokens included. Secrets are never listed.",
        "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/After"}],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenPage"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/tokens/{id}": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "get": {
        "operationId": "getToken",
        "summary": "Get an API token",
        "tags": ["tokens"],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "delete": {
        "operationId": "revokeToken",
        "summary": "Revoke an API token",
        "tags": ["tokens"],
        "responses": {
          "200": {
            "description": "Revoked (revoking a revoked token changes nothing). The record is kept.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/channels": {
      "post": {
        "operationId": "createChannel",
        "summary": "Create a channel",
        "tags": ["channels"],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChannelCreate"}}}
        },
        "responses": {
          "201": {
            "description": "Created.",
            "headers": {"Location": {"description": "The new resource's URL path.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Channel"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "get": {
        "operationId": "listChannels",
        "summary": "List channels",
        "tags": ["channels"],
        "parameters": [
          {"$ref": "#/components/parameters/OrganisationFilter"},
          {"$ref": "#/components/parameters/Limit"},
          {"$ref": "#/components/parameters/After"}
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChannelPage"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/channels/{id}": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "get": {
        "operationId": "getChannel",
        "summary": "Get a channel",
        "tags": ["channels"],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Channel"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "patch": {
        "operationId": "updateChannel",
        "summary": "Change a channel",
        "tags": ["channels"],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChannelUpdate"}}}
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Channel"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "delete": {
        "operationId": "deleteChannel",
        "summary": "Delete a channel",
        "tags": ["channels"],
        "responses": {
          "204": {"description": "Deleted, with its stream keys, events, recordings and clips."},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/channels/{id}/keys": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "post": {
        "operationId": "createStreamKey",
        "summary": "Create a stream key",
        "tags": ["keys"],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StreamKeyCreate"}}}
        },
        "responses": {
          "201": {
            "description": "Created. The clear key is in this answer only.",
            "headers": {"Location": {"description": "The new resource's URL path.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedStreamKey"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "get": {
        "operationId": "listStreamKeys",
        "summary": "List a channel's stream keys",
        "tags": ["keys"],
        "description": "Revoked keys included. Clear keys are never listed.",
        "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/After"}],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StreamKeyPage"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/keys/{id}": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "get": {
        "operationId": "getStreamKey",
        "summary": "Get a stream key",
        "tags": ["keys"],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StreamKey"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "delete": {
        "operationId": "revokeStreamKey",
        "summary": "Revoke a stream key",
        "tags": ["keys"],
        "responses": {
          "200": {
            "description": "Revoked (revoking a revoked key changes nothing). The next publish with it is refused.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StreamKey"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/keys/{id}/rotate": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "post": {
        "operationId": "rotateStreamKey",
        "summary": "Rotate a stream key",
        "tags": ["keys"],
        "description": "Rotating a revoked key is a conflict.",
        "requestBody": {
          "required": false,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StreamKeyRotate"}}}
        },
        "responses": {
          "201": {
            "description": "The new key, on the same channel; the old one is revoked in the same transaction. The clear key is in this answer only.",
            "headers": {"Location": {"description": "The new resource's URL path.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedStreamKey"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/channels/{id}/events": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "post": {
        "operationId": "createEvent",
        "summary": "Schedule an event",
        "tags": ["events"],
        "description": "Also creates the event's recording (origin event, retained, over the same range), counted against the channel's recordings.",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventCreate"}}}
        },
        "responses": {
          "201": {
            "description": "Created.",
            "headers": {"Location": {"description": "The new resource's URL path.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "get": {
        "operationId": "listEvents",
        "summary": "List a channel's events",
        "tags": ["events"],
        "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/After"}],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventPage"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/events/{id}": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "get": {
        "operationId": "getEvent",
        "summary": "Get an event",
        "tags": ["events"],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "patch": {
        "operationId": "updateEvent",
        "summary": "Change an event",
        "tags": ["events"],
        "description": "New times move the event's recording with it; its title stays.",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventUpdate"}}}
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "delete": {
        "operationId": "deleteEvent",
        "summary": "Delete an event",
        "tags": ["events"],
        "responses": {
          "204": {"description": "Deleted. Its recording stays, as a replay, with eventId null."},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/channels/{id}/recordings": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "post": {
        "operationId": "createRecording",
        "summary": "Record a time range of a channel",
        "tags": ["recordings"],
        "description": "A recording with origin api. Recordings are also made by the server for each publish session (origin session) and with each event (origin event).",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecordingCreate"}}}
        },
        "responses": {
          "201": {
            "description": "Created.",
            "headers": {"Location": {"description": "The new resource's URL path.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recording"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "get": {
        "operationId": "listRecordings",
        "summary": "List a channel's recordings",
        "tags": ["recordings"],
        "description": "Recordings of every origin: session, event and api.",
        "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/After"}],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecordingPage"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/recordings/{id}": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "get": {
        "operationId": "getRecording",
        "summary": "Get a recording",
        "tags": ["recordings"],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recording"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "patch": {
        "operationId": "updateRecording",
        "summary": "Change a recording",
        "tags": ["recordings"],
        "description": "title and retain change on any recording; startsAt and endsAt only on a recording of origin api (409 otherwise).",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecordingUpdate"}}}
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recording"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "delete": {
        "operationId": "deleteRecording",
        "summary": "Delete a recording",
        "tags": ["recordings"],
        "responses": {
          "204": {"description": "Deleted. Clips cut from it stay, with recordingId null; its range is no longer pinned against retention."},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/channels/{id}/clips": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "post": {
        "operationId": "createClip",
        "summary": "Cut a clip",
        "tags": ["clips"],
        "description": "Queues an MP4 cut of the channel's archive; it is pending until a server takes it, and a clip.ready webhook says when it is ready or failed.",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClipCreate"}}}
        },
        "responses": {
          "201": {
            "description": "Created, pending.",
            "headers": {"Location": {"description": "The new resource's URL path.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Clip"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "get": {
        "operationId": "listClips",
        "summary": "List a channel's clips",
        "tags": ["clips"],
        "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/After"}],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClipPage"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/clips/{id}": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "get": {
        "operationId": "getClip",
        "summary": "Get a clip",
        "tags": ["clips"],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Clip"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "delete": {
        "operationId": "deleteClip",
        "summary": "Delete a clip",
        "tags": ["clips"],
        "responses": {
          "204": {"description": "Deleted, whatever its status; its range is no longer pinned against retention."},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/webhooks": {
      "post": {
        "operationId": "createWebhook",
        "summary": "Create a webhook",
        "tags": ["webhooks"],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookCreate"}}}
        },
        "responses": {
          "201": {
            "description": "Created. The signing secret is in this answer only.",
            "headers": {"Location": {"description": "The new resource's URL path.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedWebhook"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "get": {
        "operationId": "listWebhooks",
        "summary": "List webhooks",
        "tags": ["webhooks"],
        "description": "Signing secrets are never listed.",
        "parameters": [
          {"$ref": "#/components/parameters/OrganisationFilter"},
          {"$ref": "#/components/parameters/Limit"},
          {"$ref": "#/components/parameters/After"}
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookPage"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/webhooks/{id}": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "get": {
        "operationId": "getWebhook",
        "summary": "Get a webhook",
        "tags": ["webhooks"],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Webhook"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "patch": {
        "operationId": "updateWebhook",
        "summary": "Change a webhook",
        "tags": ["webhooks"],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookUpdate"}}}
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Webhook"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      },
      "delete": {
        "operationId": "deleteWebhook",
        "summary": "Delete a webhook",
        "tags": ["webhooks"],
        "responses": {
          "204": {"description": "Deleted, with its deliveries, pending ones included."},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    },
    "/webhooks/{id}/deliveries": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "get": {
        "operationId": "listDeliveries",
        "summary": "List a webhook's deliveries",
        "tags": ["webhooks"],
        "description": "The outbox log: pending, delivered and given-up deliveries.",
        "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/After"}],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeliveryPage"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/Internal"}
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Error": {
        "type": "object",
        "description": "The body of every 4xx and 5xx answer.",
        "required": ["error"],
        "additionalProperties": false,
        "properties": {
          "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "additionalProperties": false,
            "properties": {
              "code": {
                "type": "string",
                "enum": [
                  "not_found",
                  "invalid",
                  "conflict",
                  "unauthorized",
                  "forbidden",
                  "too_large",
                  "unsupported_media_type",
                  "method_not_allowed",
                  "internal"
                ],
                "description": "Machine-readable kind: not_found (404: absent, or another organisation's), invalid (400: malformed JSON, wrong type, failed validation, bad query parameter), conflict (409: duplicate name, already revoked, a quota reached), unauthorized (401), forbidden (403: the token's role does not allow it), too_large (413), unsupported_media_type (415), method_not_allowed (405), internal (500)."
              },
              "message": {
                "type": "string",
                "description": "For humans: what was wrong. For invalid, starts with the field's path."
              },
              "field": {
                "type": ["string", "null"],
                "description": "For invalid: the request field at fault, as a path (name, archive.retentionSeconds, events[1]); null otherwise."
              }
            }
          }
        }
      },
      "Organisation": {
        "type": "object",
        "required": ["id", "name", "createdAt"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "name": {"type": "string"},
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          }
        }
      },
      "Role": {
        "type": "string",
        "enum": ["admin", "readOnly"],
        "description": "admin reads and writes everything of its organisation; readOnly only reads."
      },
      "Token": {
        "type": "object",
        "description": "An organisation's API token. Its secret is never shown again after creation.",
        "required": ["id", "organisationId", "name", "role", "createdAt", "lastUsedAt", "revokedAt"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "organisationId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "name": {"type": "string"},
          "role": {"$ref": "#/components/schemas/Role"},
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          },
          "lastUsedAt": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "When the token last authenticated a request (updated at most once a minute)."
          },
          "revokedAt": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "Set once revoked; a revoked token never authenticates again."
          }
        }
      },
      "CreatedToken": {
        "description": "A token just created: the fields of Token, and its secret.",
        "type": "object",
        "required": ["id", "organisationId", "name", "role", "createdAt", "lastUsedAt", "revokedAt", "secret"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "organisationId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "name": {"type": "string"},
          "role": {"$ref": "#/components/schemas/Role"},
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          },
          "lastUsedAt": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "When the token last authenticated a request (updated at most once a minute)."
          },
          "revokedAt": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "Set once revoked; a revoked token never authenticates again."
          },
          "secret": {
            "type": "string",
            "description": "The token (ant_...), for Authorization: Bearer. Shown only in this answer; store it now."
          }
        }
      },
      "Visibility": {
        "type": "string",
        "enum": ["public", "token"],
        "description": "public: anyone with the URL may watch; token: only viewers presenting a playback token."
      },
      "Archive": {
        "type": "object",
        "description": "DVR archive settings. With both retentions null the archive is kept until deleted; with both set, whichever is reached first applies.",
        "required": ["enabled", "retentionSeconds", "retentionBytes"],
        "additionalProperties": false,
        "properties": {
          "enabled": {"type": "boolean"},
          "retentionSeconds": {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": 316224000,
            "description": "Keep at most this many seconds of media."
          },
          "retentionBytes": {
            "type": ["integer", "null"],
            "format": "int64",
            "minimum": 1048576,
            "maximum": 1125899906842624,
            "description": "Keep at most this many bytes."
          }
        }
      },
      "ArchiveInput": {
        "type": "object",
        "description": "DVR archive settings; replaces the channel's whole archive object. Absent retentions are null.",
        "required": ["enabled"],
        "additionalProperties": false,
        "properties": {
          "enabled": {"type": "boolean"},
          "retentionSeconds": {"type": ["integer", "null"], "minimum": 1, "maximum": 316224000},
          "retentionBytes": {
            "type": ["integer", "null"],
            "format": "int64",
            "minimum": 1048576,
            "maximum": 1125899906842624
          }
        }
      },
      "Channel": {
        "type": "object",
        "required": ["id", "organisationId", "name", "ladder", "archive", "visibility", "createdAt"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "organisationId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "name": {
            "type": "string",
            "pattern": "^[A-Za-z0-9_-]{1,64}$",
            "minLength": 1,
            "maxLength": 64,
            "description": "Public: it is in playback URLs (/hls/{name}/master.m3u8). Unique across the server, ignoring case."
          },
          "ladder": {
            "type": "string",
            "minLength": 1,
            "maxLength": 16384,
            "description": "A ladder preset name (passthrough, mobile, conference...) or the JSON text of a custom ladder."
          },
          "archive": {"$ref": "#/components/schemas/Archive"},
          "visibility": {"$ref": "#/components/schemas/Visibility"},
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          }
        }
      },
      "StreamKey": {
        "type": "object",
        "description": "A key an encoder publishes a channel with (rtmp://HOST/live/{key}). The clear key is never shown again after creation.",
        "required": ["id", "channelId", "label", "createdAt", "revokedAt"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "channelId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "label": {"type": "string"},
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          },
          "revokedAt": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "Set once revoked (or rotated); a revoked key is refused at the next publish."
          }
        }
      },
      "CreatedStreamKey": {
        "description": "A key just created or rotated: the fields of StreamKey, and the clear key.",
        "type": "object",
        "required": ["id", "channelId", "label", "createdAt", "revokedAt", "secret"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "channelId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "label": {"type": "string"},
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          },
          "revokedAt": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "Set once revoked (or rotated); a revoked key is refused at the next publish."
          },
          "secret": {
            "type": "string",
            "description": "The stream key (sk_...) to give the encoder. Shown only in this answer."
          }
        }
      },
      "Event": {
        "type": "object",
        "description": "A scheduled programme on a channel.",
        "required": ["id", "channelId", "title", "startsAt", "endsAt", "posterUrl", "createdAt"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "channelId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "title": {"type": "string"},
          "startsAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          },
          "endsAt": {
            "type": "string",
            "format": "date-time",
            "description": "Later than startsAt, at most 31 days after it."
          },
          "posterUrl": {"type": ["string", "null"], "format": "uri"},
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          }
        }
      },
      "RecordingOrigin": {
        "type": "string",
        "enum": ["session", "event", "api"],
        "description": "session: made by the server for one publish session; event: made with an event and moved with it; api: made through this API."
      },
      "Recording": {
        "type": "object",
        "description": "A named time range of a channel's archive, served as VOD at playbackPath.",
        "required": ["id", "channelId", "title", "startsAt", "endsAt", "origin", "eventId", "retain", "playbackPath", "createdAt"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "channelId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "title": {"type": "string"},
          "startsAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          },
          "endsAt": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "null while a session recording is still being recorded; not earlier than startsAt."
          },
          "origin": {"$ref": "#/components/schemas/RecordingOrigin"},
          "eventId": {
            "type": ["string", "null"],
            "format": "uuid",
            "description": "The event of an event recording; null otherwise, and once the event is deleted (the recording stays)."
          },
          "retain": {
            "type": "boolean",
            "description": "A retained recording keeps its range of the archive past the channel's retention."
          },
          "playbackPath": {
            "type": "string",
            "description": "The replay's multivariant playlist on the delivery server: /vod/{id}/master.m3u8."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          }
        }
      },
      "ClipStatus": {
        "type": "string",
        "enum": ["pending", "processing", "ready", "failed"],
        "description": "pending: waiting for a server; processing: being cut; ready: downloadPath serves the MP4; failed: error says why."
      },
      "Clip": {
        "type": "object",
        "description": "An MP4 cut from a channel's archive.",
        "required": [
          "id",
          "channelId",
          "recordingId",
          "title",
          "start",
          "end",
          "duration",
          "rendition",
          "status",
          "progress",
          "size",
          "error",
          "downloadPath",
          "playlistPath",
          "createdAt",
          "readyAt"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "channelId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "recordingId": {
            "type": ["string", "null"],
            "format": "uuid",
            "description": "The recording it was cut from, when asked for by recording; null otherwise, and once that recording is deleted."
          },
          "title": {"type": ["string", "null"]},
          "start": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          },
          "end": {"type": "string", "format": "date-time", "description": "start + duration."},
          "duration": {"type": "number", "minimum": 1, "maximum": 10800, "description": "Seconds, to the millisecond."},
          "rendition": {
            "type": ["string", "null"],
            "description": "The rendition cut; null for the channel's best video rendition."
          },
          "status": {"$ref": "#/components/schemas/ClipStatus"},
          "progress": {"type": "number", "minimum": 0, "maximum": 1},
          "size": {
            "type": ["integer", "null"],
            "format": "int64",
            "minimum": 0,
            "description": "Bytes of the MP4, once ready."
          },
          "error": {"type": ["string", "null"], "description": "Why it failed, once failed."},
          "downloadPath": {"type": "string", "description": "The MP4 on the delivery server, once ready: /clips/{id}.mp4."},
          "playlistPath": {"type": "string", "description": "The clip as HLS on the delivery server: /clips/{id}/master.m3u8."},
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          },
          "readyAt": {"type": ["string", "null"], "format": "date-time", "description": "When it became ready."}
        }
      },
      "WebhookEventName": {
        "type": "string",
        "enum": ["channel.unhealthy", "clip.ready", "stream.started", "stream.stopped", "transcoder.failed"]
      },
      "Webhook": {
        "type": "object",
        "description": "A URL that receives signed POSTs for the events it subscribes to.",
        "required": ["id", "organisationId", "url", "events", "active", "createdAt"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "organisationId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "url": {"type": "string", "format": "uri"},
          "events": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/WebhookEventName"},
            "minItems": 1,
            "uniqueItems": true,
            "description": "Sorted."
          },
          "active": {
            "type": "boolean",
            "description": "An inactive webhook gets no new deliveries, and its pending ones wait."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          }
        }
      },
      "CreatedWebhook": {
        "description": "A webhook just created: the fields of Webhook, and its signing secret.",
        "type": "object",
        "required": ["id", "organisationId", "url", "events", "active", "createdAt", "secret"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "organisationId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "url": {"type": "string", "format": "uri"},
          "events": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/WebhookEventName"},
            "minItems": 1,
            "uniqueItems": true,
            "description": "Sorted."
          },
          "active": {
            "type": "boolean",
            "description": "An inactive webhook gets no new deliveries, and its pending ones wait."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          },
          "secret": {
            "type": "string",
            "description": "The HMAC-SHA256 signing secret (whsec_...). Shown only in this answer."
          }
        }
      },
      "Delivery": {
        "type": "object",
        "description": "One event queued for one webhook, and how its delivery went.",
        "required": [
          "id",
          "webhookId",
          "event",
          "payload",
          "state",
          "attempts",
          "nextAttemptAt",
          "lastError",
          "deliveredAt",
          "gaveUpAt",
          "createdAt"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "webhookId": {"type": "string", "format": "uuid", "description": "A lowercase UUID."},
          "event": {"$ref": "#/components/schemas/WebhookEventName"},
          "payload": {
            "type": "string",
            "description": "The JSON text POSTed to the receiver, byte for byte as signed."
          },
          "state": {"type": "string", "enum": ["pending", "delivered", "gaveUp"]},
          "attempts": {"type": "integer", "minimum": 0, "description": "Failed attempts so far."},
          "nextAttemptAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the next attempt is due; meaningless once delivered or given up."
          },
          "lastError": {"type": ["string", "null"]},
          "deliveredAt": {"type": ["string", "null"], "format": "date-time"},
          "gaveUpAt": {"type": ["string", "null"], "format": "date-time"},
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z."
          }
        }
      },
      "OrganisationPage": {
        "type": "object",
        "description": "One page of Organisation items, oldest first (ordered by createdAt, then id).",
        "required": ["items", "nextCursor"],
        "additionalProperties": false,
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Organisation"}},
          "nextCursor": {
            "type": ["string", "null"],
            "description": "Pass as ?after= for the next page; null on the last page."
          }
        }
      },
      "TokenPage": {
        "type": "object",
        "description": "One page of Token items, oldest first (ordered by createdAt, then id).",
        "required": ["items", "nextCursor"],
        "additionalProperties": false,
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}},
          "nextCursor": {
            "type": ["string", "null"],
            "description": "Pass as ?after= for the next page; null on the last page."
          }
        }
      },
      "ChannelPage": {
        "type": "object",
        "description": "One page of Channel items, oldest first (ordered by createdAt, then id).",
        "required": ["items", "nextCursor"],
        "additionalProperties": false,
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Channel"}},
          "nextCursor": {
            "type": ["string", "null"],
            "description": "Pass as ?after= for the next page; null on the last page."
          }
        }
      },
      "StreamKeyPage": {
        "type": "object",
        "description": "One page of StreamKey items, oldest first (ordered by createdAt, then id).",
        "required": ["items", "nextCursor"],
        "additionalProperties": false,
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/StreamKey"}},
          "nextCursor": {
            "type": ["string", "null"],
            "description": "Pass as ?after= for the next page; null on the last page."
          }
        }
      },
      "EventPage": {
        "type": "object",
        "description": "One page of Event items, oldest first (ordered by createdAt, then id).",
        "required": ["items", "nextCursor"],
        "additionalProperties": false,
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
          "nextCursor": {
            "type": ["string", "null"],
            "description": "Pass as ?after= for the next page; null on the last page."
          }
        }
      },
      "RecordingPage": {
        "type": "object",
        "description": "One page of Recording items, oldest first (ordered by createdAt, then id).",
        "required": ["items", "nextCursor"],
        "additionalProperties": false,
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Recording"}},
          "nextCursor": {
            "type": ["string", "null"],
            "description": "Pass as ?after= for the next page; null on the last page."
          }
        }
      },
      "ClipPage": {
        "type": "object",
        "description": "One page of Clip items, oldest first (ordered by createdAt, then id).",
        "required": ["items", "nextCursor"],
        "additionalProperties": false,
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Clip"}},
          "nextCursor": {
            "type": ["string", "null"],
            "description": "Pass as ?after= for the next page; null on the last page."
          }
        }
      },
      "WebhookPage": {
        "type": "object",
        "description": "One page of Webhook items, oldest first (ordered by createdAt, then id).",
        "required": ["items", "nextCursor"],
        "additionalProperties": false,
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Webhook"}},
          "nextCursor": {
            "type": ["string", "null"],
            "description": "Pass as ?after= for the next page; null on the last page."
          }
        }
      },
      "DeliveryPage": {
        "type": "object",
        "description": "One page of Delivery items, oldest first (ordered by createdAt, then id).",
        "required": ["items", "nextCursor"],
        "additionalProperties": false,
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Delivery"}},
          "nextCursor": {
            "type": ["string", "null"],
            "description": "Pass as ?after= for the next page; null on the last page."
          }
        }
      },
      "OrganisationCreate": {
        "type": "object",
        "description": "A new organisation.",
        "required": ["name"],
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "Trimmed; no control characters."
          }
        }
      },
      "OrganisationUpdate": {
        "type": "object",
        "description": "Renames the organisation; absent fields stay as they are.",
        "required": [],
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "Trimmed; no control characters."
          }
        }
      },
      "TokenCreate": {
        "type": "object",
        "description": "A new API token; role defaults to readOnly.",
        "required": ["name"],
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "For humans; trimmed; no control characters."
          },
          "role": {"$ref": "#/components/schemas/Role"}
        }
      },
      "ChannelCreate": {
        "type": "object",
        "description": "A new channel. Defaults: ladder passthrough, archive disabled, visibility public.",
        "required": ["name"],
        "additionalProperties": false,
        "properties": {
          "organisationId": {
            "type": "string",
            "format": "uuid",
            "description": "The owning organisation: required with the server admin token; an organisation's token may leave it out (its own), and naming another organisation is a 404."
          },
          "name": {
            "type": "string",
            "pattern": "^[A-Za-z0-9_-]{1,64}$",
            "minLength": 1,
            "maxLength": 64,
            "description": "Public: it is in playback URLs (/hls/{name}/master.m3u8). Unique across the server, ignoring case."
          },
          "ladder": {
            "type": "string",
            "minLength": 1,
            "maxLength": 16384,
            "description": "A ladder preset name (passthrough, mobile, conference...) or the JSON text of a custom ladder.",
            "default": "passthrough"
          },
          "archive": {"$ref": "#/components/schemas/ArchiveInput"},
          "visibility": {"$ref": "#/components/schemas/Visibility"}
        }
      },
      "ChannelUpdate": {
        "type": "object",
        "description": "Absent fields stay as they are; archive is replaced whole. null is refused.",
        "required": [],
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string",
            "pattern": "^[A-Za-z0-9_-]{1,64}$",
            "minLength": 1,
            "maxLength": 64,
            "description": "Public: it is in playback URLs (/hls/{name}/master.m3u8). Unique across the server, ignoring case."
          },
          "ladder": {
            "type": "string",
            "minLength": 1,
            "maxLength": 16384,
            "description": "A ladder preset name (passthrough, mobile, conference...) or the JSON text of a custom ladder."
          },
          "archive": {"$ref": "#/components/schemas/ArchiveInput"},
          "visibility": {"$ref": "#/components/schemas/Visibility"}
        }
      },
      "StreamKeyCreate": {
        "type": "object",
        "description": "A new stream key.",
        "required": ["label"],
        "additionalProperties": false,
        "properties": {
          "label": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "For humans; trimmed; no control characters."
          }
        }
      },
      "StreamKeyRotate": {
        "type": "object",
        "description": "The new key's label; the old key's label when absent. The body may be left out altogether.",
        "required": [],
        "additionalProperties": false,
        "properties": {
          "label": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "For humans; trimmed; no control characters."
          }
        }
      },
      "EventCreate": {
        "type": "object",
        "description": "A new event.",
        "required": ["title", "startsAt", "endsAt"],
        "additionalProperties": false,
        "properties": {
          "title": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Trimmed; no control characters."
          },
          "startsAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 date-time, with Z or a numeric offset, with or without fractional seconds."
          },
          "endsAt": {
            "type": "string",
            "format": "date-time",
            "description": "Later than startsAt, at most 31 days after it."
          },
          "posterUrl": {
            "type": ["string", "null"],
            "format": "uri",
            "minLength": 1,
            "maxLength": 2048,
            "description": "An absolute http or https URL with a host: a URI (RFC 3986), other characters percent-encoded."
          }
        }
      },
      "EventUpdate": {
        "type": "object",
        "description": "Absent fields stay as they are; the resulting times must still satisfy endsAt > startsAt.",
        "required": [],
        "additionalProperties": false,
        "properties": {
          "title": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Trimmed; no control characters."
          },
          "startsAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 date-time, with Z or a numeric offset, with or without fractional seconds."
          },
          "endsAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 date-time, with Z or a numeric offset, with or without fractional seconds."
          },
          "posterUrl": {
            "type": ["string", "null"],
            "format": "uri",
            "minLength": 1,
            "maxLength": 2048,
            "description": "A URL, or null to remove the poster."
          }
        }
      },
      "RecordingCreate": {
        "type": "object",
        "description": "A new recording (origin api).",
        "required": ["title", "startsAt", "endsAt"],
        "additionalProperties": false,
        "properties": {
          "title": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Trimmed; no control characters."
          },
          "startsAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 date-time, with Z or a numeric offset, with or without fractional seconds."
          },
          "endsAt": {
            "type": "string",
            "format": "date-time",
            "description": "Later than startsAt, at most 31 days after it."
          },
          "retain": {
            "type": "boolean",
            "default": true,
            "description": "Keep this range of the archive past the channel's retention."
          }
        }
      },
      "RecordingUpdate": {
        "type": "object",
        "description": "Absent fields stay as they are. startsAt and endsAt only for a recording of origin api; the resulting times must still satisfy endsAt > startsAt, at most 31 days apart.",
        "required": [],
        "additionalProperties": false,
        "properties": {
          "title": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Trimmed; no control characters."
          },
          "retain": {"type": "boolean"},
          "startsAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 date-time, with Z or a numeric offset, with or without fractional seconds."
          },
          "endsAt": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 date-time, with Z or a numeric offset, with or without fractional seconds."
          }
        }
      },
      "ClipCreate": {
        "type": "object",
        "description": "A clip to cut: start and duration, or recording (with offset) and duration. The clip must be over (start + duration not later than now) and, cut from a recording, lie within it.",
        "required": ["duration"],
        "additionalProperties": false,
        "oneOf": [
          {"required": ["start"], "not": {"anyOf": [{"required": ["recording"]}, {"required": ["offset"]}]}},
          {"required": ["recording"], "not": {"required": ["start"]}}
        ],
        "properties": {
          "start": {
            "type": "string",
            "format": "date-time",
            "description": "The first instant of the clip: RFC 3339 date-time, with Z or a numeric offset, with or without fractional seconds."
          },
          "recording": {
            "type": "string",
            "format": "uuid",
            "description": "A recording of the same channel; the clip starts offset seconds after its start."
          },
          "offset": {
            "type": "number",
            "minimum": 0,
            "default": 0,
            "description": "Seconds from the recording's start; only with recording."
          },
          "duration": {"type": "number", "minimum": 1, "maximum": 10800, "description": "Seconds, kept to the millisecond."},
          "rendition": {
            "type": ["string", "null"],
            "pattern": "^[a-z0-9_-]{1,32}$",
            "minLength": 1,
            "maxLength": 32,
            "description": "A rendition of the channel's ladder; absent or null for the best video rendition."
          },
          "title": {
            "type": ["string", "null"],
            "minLength": 1,
            "maxLength": 200,
            "description": "Trimmed; no control characters."
          }
        }
      },
      "WebhookCreate": {
        "type": "object",
        "description": "A new webhook.",
        "required": ["url", "events"],
        "additionalProperties": false,
        "properties": {
          "organisationId": {
            "type": "string",
            "format": "uuid",
            "description": "The owning organisation: required with the server admin token; an organisation's token may leave it out (its own), and naming another organisation is a 404."
          },
          "url": {
            "type": "string",
            "format": "uri",
            "minLength": 1,
            "maxLength": 2048,
            "description": "An absolute http or https URL with a host: a URI (RFC 3986), other characters percent-encoded."
          },
          "events": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/WebhookEventName"},
            "minItems": 1,
            "description": "Replaces the subscribed events; duplicates are merged."
          },
          "active": {"type": "boolean", "default": true}
        }
      },
      "WebhookUpdate": {
        "type": "object",
        "description": "Absent fields stay as they are; events is replaced whole.",
        "required": [],
        "additionalProperties": false,
        "properties": {
          "url": {
            "type": "string",
            "format": "uri",
            "minLength": 1,
            "maxLength": 2048,
            "description": "An absolute http or https URL with a host: a URI (RFC 3986), other characters percent-encoded."
          },
          "events": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/WebhookEventName"},
            "minItems": 1,
            "description": "Replaces the subscribed events; duplicates are merged."
          },
          "active": {"type": "boolean"}
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "invalid: malformed JSON (the message gives the JSON path), a wrong type, an unknown field, a failed validation (field names it) or a bad query parameter.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "Unauthorized": {
        "description": "unauthorized: no Authorization header, or a token that is malformed, unknown or revoked.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        "headers": {
          "WWW-Authenticate": {
            "description": "Bearer realm=\"antenne\", with error=\"invalid_token\" when a token was sent.",
            "schema": {"type": "string"}
          }
        }
      },
      "Forbidden": {
        "description": "forbidden: the token's role does not allow this (a read-only token that writes, an organisation token on a server-admin operation).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "NotFound": {
        "description": "not_found: absent, or belongs to another organisation (never 403, so existence does not leak).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "Conflict": {
        "description": "conflict: the request clashes with existing state (a taken channel name, a revoked key) or a quota is reached.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "TooLarge": {
        "description": "too_large: the body is larger than the server's limit (64 KiB by default).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "UnsupportedMediaType": {
        "description": "unsupported_media_type: a body sent without Content-Type: application/json.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "Internal": {
        "description": "internal: the server or its database failed; the server log has the details.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      }
    },
    "parameters": {
      "Id": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "The resource's id. A malformed id is a 404.",
        "schema": {"type": "string", "format": "uuid"}
      },
      "Limit": {
        "name": "limit",
        "in": "query",
        "required": false,
        "description": "Items per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
      },
      "After": {
        "name": "after",
        "in": "query",
        "required": false,
        "description": "The nextCursor of the previous page. A cursor of a row deleted since, or not visible to the caller, is invalid.",
        "schema": {"type": "string"}
      },
      "OrganisationFilter": {
        "name": "organisationId",
        "in": "query",
        "required": false,
        "description": "Only this organisation's items. An organisation's token sees only its own (another organisation is a 404); the server admin sees every organisation's items when it is left out.",
        "schema": {"type": "string", "format": "uuid"}
      }
    },
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "The server admin token, or an organisation's API token (ant_...)."
      }
    }
  }
}
"""#
}
