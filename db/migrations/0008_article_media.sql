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
-- Kept on every write of an article's text or hero, by whatever writes it (the editor, imports, the
-- bulk seeder, a restore); images not in the library are left out (the app refuses them on save).
CREATE FUNCTION "article_media_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.body IS NOT DISTINCT FROM OLD.body AND NEW.hero_media_id IS NOT DISTINCT FROM OLD.hero_media_id THEN
    RETURN NULL;
  END IF;
  DELETE FROM article_media WHERE article_id = NEW.id;
  INSERT INTO article_media (article_id, media_id)
    SELECT NEW.id, media.id FROM media WHERE media.id IN (SELECT article_media_ids(NEW.body, NEW.hero_media_id));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "article_media_sync" AFTER INSERT OR UPDATE OF body, hero_media_id ON "articles" FOR EACH ROW EXECUTE FUNCTION "article_media_sync"();--> statement-breakpoint
INSERT INTO "article_media" ("article_id", "media_id")
  SELECT articles.id, media.id FROM articles CROSS JOIN LATERAL article_media_ids(articles.body, articles.hero_media_id) AS shown(id) JOIN media ON media.id = shown.id
  ON CONFLICT DO NOTHING;
