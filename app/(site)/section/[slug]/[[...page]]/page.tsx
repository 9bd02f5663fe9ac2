import type { Metadata } from "next";
import { notFound, permanentRedirect } from "next/navigation";
import { ListingHeader, ListingView } from "@/components/site/listing-view";
import { loadListing, pagePath, parseListingParams } from "@/lib/listing-params";
import { getSectionListing } from "@/lib/sections/queries";
import { getSectionRedirect } from "@/lib/redirects/queries";
import { pageMetadata } from "@/lib/seo/metadata";
import { getSiteSettings } from "@/lib/settings";

export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

type Props = { params: Promise<{ slug: string; page?: string[] }> };

const load = (params: Props["params"]) => loadListing(params, getSectionListing);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const listing = await load(params);
  if (!listing) return {};
  const path = pagePath(`/section/${listing.section.slug}`, listing.page);
  const title = listing.page > 1 ? `${listing.section.name} (page ${listing.page})` : listing.section.name;
  return pageMetadata(await getSiteSettings(), { title, description: listing.section.description, path, section: listing.section });
}

export default async function SectionPage({ params }: Props) {
  const [listing, { timeZone }] = await Promise.all([load(params), getSiteSettings()]);
  if (!listing) {
    // a renamed section's old address, and its pages, lead to the current one
    const { slug, page } = await params;
    const wanted = parseListingParams(slug, page);
    const current = wanted ? await getSectionRedirect(wanted.slug) : null;
    if (current) permanentRedirect(pagePath(`/section/${current}`, wanted!.page));
    notFound();
  }
  return (
    <>
      <ListingHeader kicker="Section" title={listing.section.name}>
        {listing.section.description && <p className="mt-2 text-muted">{listing.section.description}</p>}
      </ListingHeader>
      <ListingView basePath={`/section/${listing.section.slug}`} listing={listing} timeZone={timeZone} empty="Nothing has been published in this section yet." />
    </>
  );
}
