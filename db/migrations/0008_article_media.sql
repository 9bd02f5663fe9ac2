CREATE TABLE "article_media" (
	"article_id" uuid NOT NULL,
	"media_id" uuid NOT NULL,
	CONSTRAINT "article_media_article_id_media_id_pk" PRIMARY KEY("article_id","media_id")
);
--> statement-breakpoint
ALTER TABLE "article_media" ADD CONSTRAINT "article_media_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_media" ADD CONSTRAINT "article_media_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "article_media_media_idx" ON "article_media" USING btree ("media_id","article_id");--> statement-breakpoint
-- The library images an article shows: its hero, and each figure of its text by its mediaId or its
-- address, /media/<id>.<ext> or a variant's /media/<id>-<width>.<ext> (as lib/articles/images.ts reads them).
CREATE FUNCTION "article_media_ids"(body jsonb, hero uuid) RETURNS SETOF uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT hero WHERE hero IS NOT NULL
  UNION
  SELECT found::uuid FROM (
    SELECT coalesce(
      substring(figure->'attrs'->>'mediaId' from '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$'),
      substring(figure->'attrs'->>'src' from '^/media/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-[0-9]+)?\.[A-Za-z0-9]+$')
    ) AS found
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(body->'content') = 'array' THEN body->'content' ELSE '[]'::jsonb END) AS figure
    WHERE figure->>'type' = 'figure'
  ) AS figures WHERE found IS NOT NULL
$$;--> statement-breakpoint
-- Kept on every write of articles, by whatever writes them (the editor, imports, the bulk seeder, a
-- restore), once per statement over the rows it wrote (a row trigger made seeding 100,000 articles
-- a fifth slower); images not in the library are left out (the app refuses them on save).
CREATE FUNCTION "article_media_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO article_media (article_id, media_id)
    SELECT new_rows.id, media.id FROM new_rows CROSS JOIN LATERAL article_media_ids(new_rows.body, new_rows.hero_media_id) AS shown(id) JOIN media ON media.id = shown.id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "article_media_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed uuid[];
BEGIN
  -- only the rows whose text or hero changed: most updates (status, autosaved titles) touch neither
  SELECT array_agg(new_rows.id) INTO changed FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id
    WHERE new_rows.body IS DISTINCT FROM old_rows.body OR new_rows.hero_media_id IS DISTINCT FROM old_rows.hero_media_id;
  IF changed IS NULL THEN
    RETURN NULL;
  END IF;
  DELETE FROM article_media WHERE article_id = ANY (changed);
  INSERT INTO article_media (article_id, media_id)
    SELECT new_rows.id, media.id FROM new_rows CROSS JOIN LATERAL article_media_ids(new_rows.body, new_rows.hero_media_id) AS shown(id) JOIN media ON media.id = shown.id
    WHERE new_rows.id = ANY (changed)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "article_media_added" AFTER INSERT ON "articles" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "article_media_added"();--> statement-breakpoint
CREATE TRIGGER "article_media_changed" AFTER UPDATE ON "articles" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "article_media_changed"();--> statement-breakpoint
INSERT INTO "article_media" ("article_id", "media_id")
  SELECT articles.id, media.id FROM articles CROSS JOIN LATERAL article_media_ids(articles.body, articles.hero_media_id) AS shown(id) JOIN media ON media.id = shown.id
  ON CONFLICT DO NOTHING;
