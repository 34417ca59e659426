/** Shared by the XML parser and XPath tests (not part of the build: see tsconfig.build.json). */
import assert from 'node:assert/strict';
import { parseXml } from './xml.ts';

/** Parses a body that must yield a document. */
export const doc = (body: string) => {
  const d = parseXml(body);
  assert.ok(d, 'document expected');
  return d;
};

/** A SOAP request with namespaces, attributes in both quote styles, an entity and CDATA. */
export const SOAP = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">',
  '  <soap:Body>',
  '    <m:GetUser xmlns:m="urn:x" id="7" role=\'admin\'>',
  '      <m:Name>alice &amp; bob</m:Name>',
  '      <m:Note><![CDATA[<script>alert(1)</script>]]></m:Note>',
  '    </m:GetUser>',
  '  </soap:Body>',
  '</soap:Envelope>',
].join('\r\n');
