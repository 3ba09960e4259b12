-- A store written by release ad74c59: that commit's Store (create_all) and search-index DDL, filled through its
-- own upsert/ack/note methods (facts in the version-1 shape), dumped with sqlite3 iterdump. FTS5 internals are
-- rebuilt from incident_attrs instead of dumped. Loaded by tests/test_migrations.py.
BEGIN TRANSACTION;
CREATE TABLE api_keys (
	id INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	key_hash VARCHAR(64) NOT NULL, 
	prefix VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (key_hash)
);
INSERT INTO "api_keys" VALUES(1,'ops','admin','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','cl_abcd','2024-05-01 12:00:00.000000',NULL);
CREATE TABLE audit (
	id INTEGER NOT NULL, 
	ts DATETIME NOT NULL, 
	key_id INTEGER, 
	key_name VARCHAR(64) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	action VARCHAR(64) NOT NULL, 
	target VARCHAR(128), 
	detail JSON NOT NULL, 
	client_ip VARCHAR(64), 
	PRIMARY KEY (id)
);
INSERT INTO "audit" VALUES(1,'2024-05-01 12:00:00.000000',1,'ops','admin','incident.ack','incident:0190a1b2-0000-7000-8000-000000000001','{"note": "x"}','127.0.0.1');
CREATE TABLE camera_health (
	camera_id VARCHAR(128) NOT NULL, 
	box VARCHAR(128) NOT NULL, 
	state VARCHAR(32) NOT NULL, 
	ts DATETIME NOT NULL, 
	fps_in DOUBLE NOT NULL, 
	fps_out DOUBLE NOT NULL, 
	frames_in INTEGER NOT NULL, 
	frames_processed INTEGER NOT NULL, 
	frames_dropped INTEGER NOT NULL, 
	last_frame_at DATETIME, 
	reconnects INTEGER NOT NULL, 
	error TEXT, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (camera_id)
);
INSERT INTO "camera_health" VALUES('cam-street','box-b','streaming','2024-05-01 12:00:00.000000',10.0,9.5,100,95,5,NULL,1,NULL,'2026-11-27 08:34:25.549258');
CREATE TABLE counts (
	"key" VARCHAR(512) NOT NULL, 
	camera_id VARCHAR(128) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	name VARCHAR(128) NOT NULL, 
	object_class VARCHAR(64) NOT NULL, 
	direction VARCHAR(64) NOT NULL, 
	bucket_start DATETIME NOT NULL, 
	count INTEGER NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "counts" VALUES('cam-street|line|gate|car|in|2024-05-01T12:00:00+00:00','cam-street','line','gate','car','in','2024-05-01 12:00:00.000000',7);
CREATE TABLE dead_letters (
	id INTEGER NOT NULL, 
	stream VARCHAR(128) NOT NULL, 
	entry_id VARCHAR(64) NOT NULL, 
	error TEXT NOT NULL, 
	fields JSON NOT NULL, 
	received_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "dead_letters" VALUES(1,'citylens:incidents','1-0','bad json','{"json": "{"}','2026-11-27 08:34:25.584554');
CREATE TABLE incident_attrs (label INTEGER PRIMARY KEY AUTOINCREMENT, incident_id TEXT NOT NULL UNIQUE, colour TEXT, doc TEXT NOT NULL);
INSERT INTO "incident_attrs" VALUES(1,'0190a1b2-0000-7000-8000-000000000001','red','A red person lingered in zone table on camera Lobby for 31 s. loitering camera cam-lobby');
INSERT INTO "incident_attrs" VALUES(2,'0190a1b2-0000-7000-8000-000000000002',NULL,' tripwire camera cam-street');
INSERT INTO "incident_attrs" VALUES(3,'0190a1b2-0000-7000-8000-000000000003',NULL,' crowding camera cam-lobby');
CREATE TABLE incident_notes (
	id INTEGER NOT NULL, 
	incident_id VARCHAR(64) NOT NULL, 
	author VARCHAR(64) NOT NULL, 
	text TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(incident_id) REFERENCES incidents (id) ON DELETE CASCADE
);
INSERT INTO "incident_notes" VALUES(1,'0190a1b2-0000-7000-8000-000000000001','ops','checked on camera','2024-05-01 12:02:00.000000');
CREATE TABLE incidents (
	id VARCHAR(64) NOT NULL, 
	seq INTEGER NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	type VARCHAR(32) NOT NULL, 
	severity VARCHAR(16) NOT NULL, 
	camera_id VARCHAR(128) NOT NULL, 
	box VARCHAR(128) NOT NULL, 
	rule VARCHAR(256) NOT NULL, 
	zone VARCHAR(128), 
	line VARCHAR(128), 
	object_class VARCHAR(64), 
	track_ids JSON NOT NULL, 
	started_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	ended_at DATETIME, 
	bbox JSON, 
	facts JSON NOT NULL, 
	caption TEXT, 
	caption_source VARCHAR(16), 
	caption_model VARCHAR(256), 
	models JSON NOT NULL, 
	snapshot_path VARCHAR(512), 
	crop_path VARCHAR(512), 
	ingested_at DATETIME NOT NULL, 
	acked_at DATETIME, 
	acked_by VARCHAR(64), 
	PRIMARY KEY (id)
);
INSERT INTO "incidents" VALUES('0190a1b2-0000-7000-8000-000000000001',2,'closed','loitering','warning','cam-lobby','box-a','loitering:table','table',NULL,'person','[3, 7]','2024-05-01 12:00:00.000000','2024-05-01 12:00:40.000000','2024-05-01 12:00:40.000000','[0.1, 0.2, 0.3, 0.4]','{"dwell_s": 31.5, "first_seen": 1714564800.0, "last_seen": 1714564840.0, "duration_s": 40.0, "track_ids": [3, 7], "zone": "table", "object_class": "person", "colour": "red", "time_of_day": "day"}','A red person lingered in zone table on camera Lobby for 31 s.','template','template','{"detector": "yolov8n.pt"}',NULL,NULL,'2026-11-27 08:34:25.502668','2024-05-01 12:01:00.000000','ops');
INSERT INTO "incidents" VALUES('0190a1b2-0000-7000-8000-000000000002',0,'opened','tripwire','critical','cam-street','box-b','tripwire:gate',NULL,'gate','car','[12]','2024-05-01 12:05:00.000000','2024-05-01 12:05:00.000000',NULL,'null','{"direction": "northbound", "crossing": "in", "first_seen": 1714565100.0, "last_seen": 1714565101.0, "duration_s": 0.0, "track_ids": [12], "line": "gate", "object_class": "car"}',NULL,NULL,NULL,'{}',NULL,NULL,'2026-11-27 08:34:25.505529',NULL,NULL);
INSERT INTO "incidents" VALUES('0190a1b2-0000-7000-8000-000000000003',1,'updated','crowding','warning','cam-lobby','box-a','crowding:hall','hall',NULL,NULL,'[1, 2, 5]','2024-05-01 12:09:00.000000','2024-05-01 12:10:00.000000',NULL,'null','{"count": 3, "max_count": 2, "dwell_s": 12.0, "classes": ["person"], "duration_s": 60.0, "track_ids": [1, 2, 5], "zone": "hall"}',NULL,NULL,NULL,'{}',NULL,NULL,'2026-11-27 08:34:25.517621',NULL,NULL);
CREATE INDEX ix_incidents_type_started ON incidents (type, started_at, id);
CREATE INDEX ix_incidents_zone_started ON incidents (zone, started_at, id);
CREATE INDEX ix_incidents_camera_started ON incidents (camera_id, started_at, id);
CREATE INDEX ix_incidents_started_at ON incidents (started_at);
CREATE INDEX ix_incidents_type_zone_started ON incidents (type, zone, started_at, id);
CREATE INDEX ix_incidents_state ON incidents (state);
CREATE INDEX ix_incidents_type ON incidents (type);
CREATE INDEX ix_incidents_class_started ON incidents (object_class, started_at, id);
CREATE INDEX ix_incidents_camera_id ON incidents (camera_id);
CREATE INDEX ix_counts_camera_id ON counts (camera_id);
CREATE INDEX ix_counts_bucket_start ON counts (bucket_start);
CREATE INDEX ix_audit_target ON audit (target);
CREATE INDEX ix_audit_action ON audit (action);
CREATE INDEX ix_audit_ts ON audit (ts);
CREATE INDEX ix_incident_notes_incident_id ON incident_notes (incident_id);
CREATE INDEX ix_incident_attrs_colour ON incident_attrs (colour);
CREATE INDEX ix_incident_attrs_id_colour ON incident_attrs (incident_id, colour, label);
CREATE VIRTUAL TABLE incidents_fts USING fts5(doc, content='incident_attrs', content_rowid='label', tokenize='porter unicode61 remove_diacritics 2');
INSERT INTO incidents_fts(incidents_fts) VALUES('rebuild');
COMMIT;
